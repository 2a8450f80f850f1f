import type { ReportDraftInput } from '@fanzha/contracts';
import { sql } from 'kysely';

/** The columns a report's content fills: the same for autosaved drafts and whole-report intake. */
export function reportColumns(d: Omit<ReportDraftInput, 'version'>, now: Date) {
  return {
    call_answered_at: new Date(d.callAnsweredAt),
    victim_name: d.victim.name?.trim() || null,
    victim_id_number: d.victim.idNumber?.trim().toUpperCase() || null,
    victim_phone: d.victim.phone?.trim() || null,
    victim_county_code: d.victim.countyCode || null,
    victim_address: d.victim.address?.trim() || null,
    narrative: d.narrative,
    fraud_type: d.fraudType ?? null,
    contacts: JSON.stringify(d.contacts),
    total_loss_fen: d.transfers.reduce((s, t) => s + (t.amountFen ?? 0), 0),
    updated_at: now,
  };
}

/** The next report number, e.g. JJ20260501-000123: the day in China, then a sequence shared by all processes. */
export const nextReportNumber = (now: Date) =>
  sql<string>`'JJ' || to_char(${now}::timestamptz at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(nextval('report_number_seq')::text, 6, '0')`;

import type { ReportDraftInput } from '@fanzha/contracts';
import { ageBandOfIdNumber, validateBankCard } from '@fanzha/domain';
import type { FirstLayerAccount } from '../stop-payment/index';
import { sql } from 'kysely';

/** The columns a report's content fills: the same for autosaved drafts and whole-report intake. */
export function reportColumns(d: Omit<ReportDraftInput, 'version'>, now: Date) {
  return {
    call_answered_at: new Date(d.callAnsweredAt),
    victim_name: d.victim.name?.trim() || null,
    victim_id_number: d.victim.idNumber?.trim().toUpperCase() || null,
    victim_phone: d.victim.phone?.trim() || null,
    victim_county_code: d.victim.countyCode || null,
    // Publicity counts by age band: the band at the call, never the birth date.
    victim_age_band: ageBandOfIdNumber(d.victim.idNumber, new Date(d.callAnsweredAt)),
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

/** The accounts of a draft that are valid card numbers, one per account with its amounts summed. */
export function firstLayerAccounts(d: ReportDraftInput): FirstLayerAccount[] {
  const byNumber = new Map<string, FirstLayerAccount>();
  for (const t of d.transfers) {
    if (!t.toAccount.number) continue;
    const card = validateBankCard(t.toAccount.number);
    if (!card.ok) continue;
    const at = t.transferredAt ? new Date(t.transferredAt) : null;
    const seen = byNumber.get(card.value.number);
    if (!seen) {
      byNumber.set(card.value.number, {
        number: card.value.number,
        bankCode: card.value.bankCode,
        name: t.toAccount.name?.trim() || null,
        amountFen: t.amountFen ?? 0,
        transferredAt: at,
      });
    } else {
      seen.amountFen += t.amountFen ?? 0;
      seen.name ??= t.toAccount.name?.trim() || null;
      if (at && (!seen.transferredAt || at < seen.transferredAt)) seen.transferredAt = at;
    }
  }
  return [...byNumber.values()];
}

function bankOfCard(number: string | undefined): string | null {
  const card = number ? validateBankCard(number) : undefined;
  return card?.ok ? card.value.bankCode : null;
}

/**
 * Two transfers with the same `key` in one draft: each row is kept by its key, so the second would
 * overwrite (or collide with) the first. Refused by field, before anything is written.
 */
export function duplicateKeyProblems(d: Pick<ReportDraftInput, 'transfers'>, prefix = 'body.') {
  const seen = new Set<string>();
  return d.transfers.flatMap((t, i) => {
    if (!seen.has(t.key)) {
      seen.add(t.key);
      return [];
    }
    return [
      { field: `${prefix}transfers.${i}.key`, reason: 'duplicate', message: 'another transfer has this key' },
    ];
  });
}

/** A draft's transfers as rows (autosave and drafts opened from episodes). */
export function transferRows(id: string, d: Pick<ReportDraftInput, 'transfers'>) {
  return d.transfers.map((t, position) => ({
    report_id: id,
    key: t.key,
    position,
    transferred_at: t.transferredAt ? new Date(t.transferredAt) : null,
    amount_fen: t.amountFen ?? null,
    victim_account: t.victimAccount?.trim() || null,
    to_number: t.toAccount.number?.replace(/[\s-]/g, '') || null,
    to_name: t.toAccount.name?.trim() || null,
    to_bank_code: t.toAccount.bankCode ?? bankOfCard(t.toAccount.number),
  }));
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/** What a submitted report names that the indicators registry keeps: its fraud contacts and payee accounts. */
export interface ReportIndicatorFacts {
  id: string;
  number: string;
  /** When it was submitted (a report submitted before the field existed: when its call was answered). */
  submittedAt: Date;
  totalLossFen: number;
  contacts: Array<{ kind: 'phone' | 'url' | 'app' | 'social' | 'device' | 'other'; value: string }>;
  /** The payee accounts of its transfers as typed (not normalised), without empty ones. */
  accounts: string[];
}

/**
 * The fraud contacts and payee accounts of the given reports, for those submitted (a draft names nothing
 * yet). Two statements whatever the number of reports; no personal data of the victim.
 */
export async function reportIndicatorFacts(
  db: Kysely<DB> | Transaction<DB>,
  ids: readonly string[],
): Promise<ReportIndicatorFacts[]> {
  if (ids.length === 0) return [];
  const reports = await db
    .selectFrom('report')
    .select(['id', 'number', 'submitted_at', 'call_answered_at', 'total_loss_fen', 'contacts'])
    .where('id', 'in', [...ids])
    .where('status', '<>', 'draft')
    .orderBy('id')
    .execute();
  if (reports.length === 0) return [];
  const transfers = await db
    .selectFrom('report_transfer')
    .select(['report_id', 'to_number'])
    .where(
      'report_id',
      'in',
      reports.map((r) => r.id),
    )
    .where('to_number', 'is not', null)
    .orderBy('report_id')
    .orderBy('position')
    .execute();
  const accounts = new Map<string, string[]>();
  for (const t of transfers) {
    if (!t.to_number) continue;
    const list = accounts.get(t.report_id) ?? [];
    list.push(t.to_number);
    accounts.set(t.report_id, list);
  }
  return reports.map((r) => ({
    id: r.id,
    number: r.number,
    submittedAt: r.submitted_at ?? r.call_answered_at,
    totalLossFen: Number(r.total_loss_fen),
    contacts: (r.contacts ?? []).map((c) => ({ kind: c.kind, value: c.value })),
    accounts: accounts.get(r.id) ?? [],
  }));
}

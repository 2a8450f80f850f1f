import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/** A victim's payment as a report records it: to a valid card or account, with an amount. */
export interface ReportPayment {
  reportId: string;
  /** The payment's key within the report. */
  key: string;
  toNumber: string;
  toBankCode: string;
  amountFen: number;
  /** When the victim paid; a payment without its time: when the report was submitted (the latest it can be). */
  at: Date;
}

/**
 * The payments of the given submitted reports that name a payee account, a bank and an amount: the first
 * layer of each victim's money trail. Two statements whatever the number of reports.
 */
export async function reportPayments(
  db: Kysely<DB> | Transaction<DB>,
  ids: readonly string[],
): Promise<{ reports: Array<{ id: string; submittedAt: Date }>; payments: ReportPayment[] }> {
  if (ids.length === 0) return { reports: [], payments: [] };
  const reports = await db
    .selectFrom('report')
    .select(['id', 'submitted_at', 'call_answered_at'])
    .where('id', 'in', [...ids])
    .where('status', '<>', 'draft')
    .orderBy('id')
    .execute();
  if (reports.length === 0) return { reports: [], payments: [] };
  const submitted = new Map(reports.map((r) => [r.id, r.submitted_at ?? r.call_answered_at]));
  const rows = await db
    .selectFrom('report_transfer')
    .select(['report_id', 'key', 'to_number', 'to_bank_code', 'amount_fen', 'transferred_at'])
    .where('report_id', 'in', [...submitted.keys()])
    .where('to_number', 'is not', null)
    .where('to_bank_code', 'is not', null)
    .where('amount_fen', '>', 0)
    .orderBy('report_id')
    .orderBy('position')
    .execute();
  return {
    reports: reports.map((r) => ({ id: r.id, submittedAt: submitted.get(r.id)! })),
    payments: rows.map((r) => ({
      reportId: r.report_id,
      key: r.key,
      toNumber: r.to_number!,
      toBankCode: r.to_bank_code!,
      amountFen: Number(r.amount_fen),
      at: r.transferred_at ?? submitted.get(r.report_id)!,
    })),
  };
}

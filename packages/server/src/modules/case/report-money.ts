import type { ReportView } from '@fanzha/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * A report's money in three separate figures: stopped by banks (a renewed stop counted once), held by
 * freezes in force, and returned to the victim as confirmed by the bank. Stopped is not recovered.
 */
export async function reportMoney(
  db: Kysely<DB> | Transaction<DB>,
  reportId: string,
  now: Date,
): Promise<ReportView['money']> {
  const row = await sql<{ stopped: string | null; frozen: string | null; returned: string | null }>`
    select
      (select sum(stopped_fen) from stop_payment
        where report_id = ${reportId} and status = 'stopped' and renewed_at is null) as stopped,
      (select sum(amount_fen) from account_freeze
        where report_id = ${reportId} and status = 'active' and ends_at > ${now}) as frozen,
      (select sum(executed_fen) from fund_decision
        where report_id = ${reportId} and kind = 'return' and status = 'confirmed') as returned`.execute(db);
  const r = row.rows[0];
  return {
    stoppedFen: Number(r?.stopped ?? 0),
    frozenFen: Number(r?.frozen ?? 0),
    returnedFen: Number(r?.returned ?? 0),
  };
}

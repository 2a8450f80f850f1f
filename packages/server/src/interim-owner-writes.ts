import { sql, type Transaction } from 'kysely';
import type { DB } from './db/schema';

type Trx = Transaction<DB>;

/**
 * Writes that other modules need from the reports and stop-payment modules, which own these tables but do not
 * offer them through their index.ts yet. Each is handed to the module that needs it as a narrow function
 * (`ReportHandOff` of county-tasks, `StopPaymentDeadlines` of legal-timers), so that the caller writes only
 * its own tables; once the owners export their own, they are wired in instead and this file goes.
 */
export const reportHandOff = {
  /** Each report routed to a county's police, which owns it from now on: one statement for a batch. */
  async route(trx: Trx, reports: Array<{ reportId: string; countyCode: string }>, at: Date): Promise<void> {
    if (reports.length === 0) return;
    const rows = sql.join(reports.map((r) => sql`(${r.reportId}::uuid, ${r.countyCode}::text)`));
    await sql`
      update report set status = 'routed', owning_county_code = v.county_code, updated_at = ${at}
      from (values ${rows}) as v(id, county_code)
      where report.id = v.id`.execute(trx);
  },

  /** A routed report accepted by its county. */
  async accept(trx: Trx, reportId: string, at: Date): Promise<void> {
    await trx
      .updateTable('report')
      .set({ status: 'accepted', updated_at: at })
      .where('id', '=', reportId)
      .where('status', '=', 'routed')
      .execute();
  },
};

export const stopPaymentLapses = {
  /** Stops lapsed exactly at their deadline, whenever the sweep notices. */
  async lapse(trx: Trx, stopPaymentIds: string[], at: Date): Promise<void> {
    if (stopPaymentIds.length === 0) return;
    await sql`update stop_payment set lapsed_at = expires_at, updated_at = ${at}
      where id in (${sql.join(stopPaymentIds)})`.execute(trx);
  },
};

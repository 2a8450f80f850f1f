import type { Clock } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { raiseAlerts, type AlertSpec } from './alerts.raise';

/** How many overdue rows one sweep takes at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/** What one module's overdue sweep brings of its own; the SQL stays in its repository. */
export type OverdueSweep<R> = {
  /** Whether anything is overdue and not yet marked: one read-only statement, no transaction. */
  hasOverdue(db: Kysely<DB>, now: Date): Promise<boolean>;
  /**
   * Marks up to `limit` overdue rows as escalated in one statement, skipping rows another sweep holds, and
   * returns them.
   */
  markOverdue(trx: Transaction<DB>, now: Date, limit: number): Promise<R[]>;
  /** The alert raised on each row marked. */
  alertOf(row: R): AlertSpec;
  /** What else the marking tells (its module's events), in the same transaction. */
  within?(trx: Transaction<DB>, rows: R[]): Promise<void>;
};

/**
 * The shape every overdue sweep shares: idle (nearly always) it costs one read-only statement; otherwise, in
 * one transaction, it marks the overdue rows (once each: two sweeps skip each other's), raises one alert on
 * each (once each, see `raiseAlerts`) and lets the module tell the change. Wakes the relay when it marked any.
 * Returns how many it marked.
 *
 * @example
 * sweepOverdue({ db, clock, wake }, {
 *   hasOverdue: repo.hasOverdue,
 *   markOverdue: repo.markOverdue,
 *   alertOf: (r) => ({ kind: 'task_overdue', threshold: 'decide', ... }),
 * }, now);
 */
export async function sweepOverdue<R>(
  deps: { db: Kysely<DB>; clock: Clock; wake: () => void },
  sweep: OverdueSweep<R>,
  now: Date,
): Promise<number> {
  const { db, clock } = deps;
  if (!(await sweep.hasOverdue(db, now))) return 0;
  const n = await db.transaction().execute(async (trx) => {
    const rows = await sweep.markOverdue(trx, now, SWEEP_BATCH);
    if (rows.length === 0) return 0;
    await raiseAlerts(
      trx,
      clock,
      rows.map((r) => sweep.alertOf(r)),
      now,
    );
    if (sweep.within) await sweep.within(trx, rows);
    return rows.length;
  });
  if (n > 0) deps.wake();
  return n;
}

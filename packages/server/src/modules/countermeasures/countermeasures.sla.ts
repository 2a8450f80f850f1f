import { countermeasureKindNamesZh, type Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import { raiseAlerts } from '../legal-timers/index';
import { emitChanged } from './countermeasures.events';
import { countermeasureRepository as repo } from './countermeasures.repository';

const SWEEP_BATCH = 500;

/**
 * The SLA sweep of countermeasures: alerts (once each) on those past their SLA unanswered, and marks them, so
 * the party's console shows them late. Returns how many it took. With nothing due it costs one read-only
 * statement.
 */
export function createCountermeasureSweep(deps: { db: Kysely<DB>; clock: Clock; wake: () => void }) {
  const { db, clock } = deps;
  return async function sweepOnce(now: Date = clock.now()): Promise<number> {
    // Idle (nearly always): one read-only statement, no transaction.
    if (!(await repo.hasOverdue(db, now))) return 0;
    const n = await db.transaction().execute(async (trx) => {
      const rows = await repo.overdue(trx, now, SWEEP_BATCH);
      if (rows.length === 0) return 0;
      for (const r of rows) await repo.update(trx, r.id, { overdue_at: now });
      await raiseAlerts(
        trx,
        clock,
        rows.map((r) => ({
          kind: 'countermeasure_overdue',
          threshold: r.status === 'lift_requested' ? 'lift' : 'execute',
          level: 'escalation',
          object_type: 'countermeasure',
          object_id: r.id,
          report_id: null,
          county_code: null,
          message: `${countermeasureKindNamesZh[r.kind]}超过时限未处置：${r.party_code} ${r.value}`,
          due_at: r.due_at,
        })),
        now,
      );
      const after = await Promise.all(rows.map((r) => repo.get(trx, r.id)));
      await emitChanged(
        trx,
        clock,
        after.flatMap((r) => (r ? [r] : [])),
        'overdue',
      );
      return rows.length;
    });
    if (n > 0) deps.wake();
    return n;
  };
}

/** Runs the SLA sweep every `everyMs` (roles that run background work, see start.ts). */
export function startCountermeasureSweep(
  svc: { sweepOnce(): Promise<number> },
  opts: { log: Logger; everyMs: number },
): Periodic {
  return runEvery(() => svc.sweepOnce(), { ...opts, what: 'countermeasure SLA sweep' });
}

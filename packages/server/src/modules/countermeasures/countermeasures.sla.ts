import { countermeasureKindNamesZh, type Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import { sweepOverdue } from '../legal-timers/index';
import { emitChanged } from './countermeasures.events';
import { countermeasureRepository as repo } from './countermeasures.repository';

/**
 * The SLA sweep of countermeasures: alerts (once each) on those past their SLA unanswered, and marks them, so
 * the party's console shows them late. Returns how many it took. With nothing due it costs one read-only
 * statement (see `sweepOverdue`).
 */
export function createCountermeasureSweep(deps: { db: Kysely<DB>; clock: Clock; wake: () => void }) {
  const { clock } = deps;
  return (now: Date = clock.now()): Promise<number> =>
    sweepOverdue(
      deps,
      {
        hasOverdue: (conn, at) => repo.hasOverdue(conn, at),
        markOverdue: (trx, at, limit) => repo.markOverdue(trx, at, limit),
        alertOf: (r) => ({
          kind: 'countermeasure_overdue',
          threshold: r.status === 'lift_requested' ? 'lift' : 'execute',
          level: 'escalation',
          object_type: 'countermeasure',
          object_id: r.id,
          report_id: null,
          county_code: null,
          message: `${countermeasureKindNamesZh[r.kind]}超过时限未处置：${r.party_code} ${r.value}`,
          due_at: r.due_at,
        }),
        within: (trx, rows) => emitChanged(trx, clock, rows, 'overdue'),
      },
      now,
    );
}

/** Runs the SLA sweep every `everyMs` (roles that run background work, see start.ts). */
export function startCountermeasureSweep(
  svc: { sweepOnce(): Promise<number> },
  opts: { log: Logger; everyMs: number },
): Periodic {
  return runEvery(() => svc.sweepOnce(), { ...opts, what: 'countermeasure SLA sweep' });
}

import { indicatorScoreRules, regrade, type Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import { enqueue } from '../../platform/outbox/outbox';
import { registryRepository } from './indicator-registry.repository';
import { toSnapshot } from './indicators.consumer';

const BATCH = 500;

export interface RegradeDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** FANZHA_INDICATOR_HALF_LIFE_DAYS. */
  halfLifeDays?: number;
  /** Tells the outbox relay that `indicator.changed` events were committed. */
  wake: () => void;
}

/**
 * The decay of quiet indicators: an indicator whose score falls below its level's threshold (nothing named
 * it again) is taken from the queue of those due (`regrade_at`, the time the consumer or the last regrade
 * computed), its score decayed to now, its level lowered and its next drop set, in one transaction per
 * batch of 500: a locking read, one update and one outbox insert, whatever the batch holds. Indicators
 * whose level is not due to drop are never read. Each lowered level is an `indicator.changed`.
 */
export function createIndicatorRegrade(deps: RegradeDeps) {
  const halfLife = deps.halfLifeDays ?? indicatorScoreRules.defaultHalfLifeDays;

  async function regradeBatch(now: Date): Promise<{ n: number; changed: number }> {
    return deps.db.transaction().execute(async (trx) => {
      const due = await registryRepository.lockDue(trx, now, BATCH);
      if (due.length === 0) return { n: 0, changed: 0 };
      const before = new Map(due.map((r) => [r.id, r.risk_level]));
      const saved = await registryRepository.saveRegrades(
        trx,
        due.map((r) => {
          const next = regrade({ score: r.risk_score, at: r.scored_at }, now, halfLife);
          return {
            id: r.id,
            riskLevel: next.level,
            riskScore: next.state.score,
            scoredAt: next.state.at ?? now,
            regradeAt: next.regradeAt,
          };
        }),
        now,
      );
      const changed = saved.filter((r) => before.get(r.id) !== r.risk_level);
      if (changed.length > 0)
        await enqueue(trx, ...changed.map((r) => newEvent('indicator.changed', toSnapshot(r), deps.clock)));
      return { n: due.length, changed: changed.length };
    });
  }

  /** One sweep at `now`: how many indicators were regraded, and how many changed level. */
  async function sweepOnce(now: Date = deps.clock.now()): Promise<{ regraded: number; changed: number }> {
    let regraded = 0;
    let changed = 0;
    for (;;) {
      const r = await regradeBatch(now);
      regraded += r.n;
      changed += r.changed;
      if (r.changed > 0) deps.wake();
      if (r.n < BATCH) break;
    }
    return { regraded, changed };
  }
  return { sweepOnce };
}
export type IndicatorRegrade = ReturnType<typeof createIndicatorRegrade>;

/** Runs the regrading sweep every `everyMs` in the worker (and in the embedded all-in-one process). */
export function startIndicatorRegrade(
  sweep: IndicatorRegrade,
  opts: { log: Logger; everyMs: number },
): Periodic {
  return runEvery(() => sweep.sweepOnce(), { ...opts, what: 'indicator regrading sweep' });
}

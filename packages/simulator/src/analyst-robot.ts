import { ApiError } from '@fanzha/contracts';
import type { CountermeasureBook } from './countermeasure-book';
import {
  gangTargets,
  isLiftedLater,
  LIFT_REASON,
  planRequestBatch,
  type CountermeasureTarget,
  type MuleCards,
} from './countermeasure-mix';
import type { Seed } from './rng';
import { asRobot, withRetry, type Robot } from './session';
import { countError, type SimStats } from './stats';
import type { Timers } from './timers';

/** How many batches the robot plans in one go looking for targets not yet asked for (a gang may be done). */
const PLAN_ATTEMPTS = 12;

/**
 * The centre's robot analyst (研判): every so often it asks for the countermeasures due since the start —
 * about `perMinute` in all — in one batch per sitting, each batch under an `Idempotency-Key` of its own so a
 * retry asks nothing twice: the gangs' numbers blocked at the issuing operator, their sites and apps taken
 * down at an ISP, their layer-1 cards restricted at the card's bank (countermeasure-mix.ts). Each target is
 * asked for once a run. Later it asks the operator to lift a few executed number blocks (the number has been
 * reassigned). Through the console's API with an analyst's session.
 */
export function startAnalystRobot(deps: {
  robot: Robot;
  seed: Seed;
  runTag: string;
  perMinute: number;
  gangs: number;
  mules: MuleCards;
  layerOneCards: number;
  /**
   * Parties a simulated system answers; the others' (the demo's liaison banks, left to people) the run does
   * not wait on.
   */
  isAnsweredByRobot: (partyCode: string) => boolean;
  book: CountermeasureBook;
  /** How often the analyst sits down to request, and looks at the blocks it will lift. */
  everyMs: number;
  timers: Timers;
  stats: SimStats;
}): { stop(): void; inFlight(): number } {
  const startedAt = Date.now();
  const asked = new Set<string>();
  const targets = new Map<number, CountermeasureTarget[]>();
  const targetsOf = (gang: number) => {
    let found = targets.get(gang);
    if (!found) targets.set(gang, (found = gangTargets(deps.seed, gang, deps.mules, deps.layerOneCards)));
    return found;
  };
  /** Executed blocks to lift, by id, once the operator has executed them. */
  const toLift = new Set<string>();
  let planned = 0;
  let requested = 0;
  let batches = 0;
  let isBusy = false;
  let isStopped = false;

  /** Planned and not yet asked for, in the plan's order: what is asked depends on the seed, not on timing. */
  const queue: CountermeasureTarget[] = [];
  const nextItems = (wanted: number): CountermeasureTarget[] => {
    for (let attempt = 0; attempt < PLAN_ATTEMPTS && queue.length < wanted; attempt++)
      for (const t of planRequestBatch(deps.seed, planned++, targetsOf, deps.gangs)) {
        const key = `${t.kind}|${t.value}|${t.partyCode}`;
        if (asked.has(key)) continue;
        asked.add(key);
        queue.push(t);
      }
    return queue.splice(0, Math.max(0, wanted));
  };

  const request = async () => {
    const due = Math.floor(((Date.now() - startedAt) / 60_000) * deps.perMinute);
    const items = nextItems(Math.min(500, due - requested));
    if (items.length === 0) return;
    requested += items.length;
    const key = `sim-${deps.runTag}-countermeasures-${batches++}`;
    const batch = await withRetry(() =>
      asRobot(deps.robot, (c) =>
        c.POST('/api/countermeasures', {
          params: { header: { 'idempotency-key': key } },
          body: {
            items: items.map((t) => ({
              kind: t.kind,
              value: t.value,
              partyCode: t.partyCode,
              reason: t.reason,
            })),
          },
        }),
      ),
    );
    deps.stats.countermeasuresRequested += batch.items.length;
    for (const [i, item] of batch.items.entries()) {
      if (!deps.isAnsweredByRobot(item.partyCode)) continue;
      deps.book.expect(item.id, 'answer');
      if (isLiftedLater(deps.seed, items[i]!)) toLift.add(item.id);
    }
  };

  const lift = async () => {
    for (const id of [...toLift]) {
      const item = await asRobot(deps.robot, (c) =>
        c.GET('/api/countermeasures/{id}', { params: { path: { id } } }),
      );
      if (item.status === 'requested' || item.status === 'acknowledged') continue;
      toLift.delete(id);
      if (item.status !== 'executed') continue;
      try {
        await withRetry(() =>
          asRobot(deps.robot, (c) =>
            c.POST('/api/countermeasures/{id}/lift', {
              params: { path: { id }, header: { 'idempotency-key': `sim-lift-${id}` } },
              body: { reason: LIFT_REASON },
            }),
          ),
        );
        deps.stats.countermeasureLiftsRequested++;
        deps.book.expect(id, 'lift');
      } catch (err) {
        // Someone at the console lifted it first: theirs stands.
        if (!(err instanceof ApiError && err.status === 409)) throw err;
      }
    }
  };

  // After `stop` it requests nothing more, but still lifts what it meant to once the operators execute it.
  const tick = async () => {
    if (deps.robot.isStopped) return toLift.clear();
    isBusy = true;
    try {
      if (!isStopped) await request();
      await lift();
    } catch (err) {
      if (!deps.robot.isStopped) countError(deps.stats, 'countermeasure_request', err);
    } finally {
      isBusy = false;
      if (!isStopped || toLift.size > 0) deps.timers.at(Date.now() + deps.everyMs, () => void tick());
    }
  };
  deps.timers.at(Date.now() + deps.everyMs, () => void tick());
  return {
    stop: () => {
      isStopped = true;
    },
    inFlight: () => (isBusy ? 1 : 0) + toLift.size,
  };
}

import { ApiError } from '@fanzha/contracts';
import { planCallbackAnswer } from './callback-mix';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import { limiter, type Timers } from './timers';

/**
 * The robot callback desk (回访): polls the centre's due callbacks and records how each person answered, as
 * the plan says (callback-mix.ts) — reached with a satisfaction, no answer (the centre retries later, and the
 * robot answers that attempt again), a few complaints. Through the console's API only, one attempt key per
 * callback and attempt so that a lost answer records nothing twice. Callbacks not yet due are left alone.
 */
export function startCallbackRobot(deps: {
  robot: Robot;
  seed: string | number;
  pollMs: number;
  /** Set the centre's delays before a first call to this (the demo's compressed time), once at the start. */
  delayMinutes?: number | undefined;
  timers: Timers;
  stats: SimStats;
}): void {
  const requests = limiter(2);
  let isPolling = false;

  const poll = async () => {
    if (isPolling || deps.robot.isStopped) return;
    isPolling = true;
    try {
      const { items } = await asRobot(deps.robot, (c) =>
        c.GET('/api/callbacks', { params: { query: { status: 'open', limit: 50 } } }),
      );
      for (const item of items.filter((i) => i.isDue)) {
        const body = planCallbackAnswer(deps.seed, item.id, item.attempts);
        const params = {
          path: { id: item.id },
          header: { 'idempotency-key': `sim.${item.id}.${item.attempts}` },
        };
        try {
          await requests(() =>
            asRobot(deps.robot, (c) => c.POST('/api/callbacks/{id}/attempts', { params, body })),
          );
          deps.stats.callbackOutcomes[body.outcome] = (deps.stats.callbackOutcomes[body.outcome] ?? 0) + 1;
        } catch (err) {
          // A person at the console recorded it first: theirs stands.
          if (!(err instanceof ApiError && err.status === 409)) throw err;
        }
      }
    } catch (err) {
      if (!deps.robot.isStopped) countError(deps.stats, 'callbacks', err);
    } finally {
      isPolling = false;
    }
  };

  const tick = () => {
    if (deps.robot.isStopped) return;
    void poll();
    deps.timers.at(Date.now() + deps.pollMs, tick);
  };
  const settle = async () => {
    if (deps.delayMinutes === undefined) return;
    const delay = deps.delayMinutes;
    const now = await asRobot(deps.robot, (c) => c.GET('/api/callbacks/settings'));
    await asRobot(deps.robot, (c) =>
      c.PUT('/api/callbacks/settings', {
        body: { ...now, delayMinutes: { report_closed: delay, money_returned: delay, persuaded: delay } },
      }),
    );
  };
  void settle()
    .catch((err: unknown) => countError(deps.stats, 'callback_settings', err))
    .finally(tick);
}

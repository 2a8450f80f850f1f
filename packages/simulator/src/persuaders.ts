import { ApiError, type EpisodeView } from '@fanzha/contracts';
import { planPersuasion, signalKey, type PersuasionAction } from './persuasion-mix';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import { limiter, type Timers } from './timers';

/**
 * The robot persuaders (劝阻专席): two accounts of the centre's persuasion desk that work the open episodes
 * this run's signals caused, through the console's API like people — take one, then record how each
 * contact ended, at the plan's times (persuasion-mix.ts). A hold is requested by one and approved by the
 * other. They poll the open list gently (every few seconds, one request at a time) and leave alone any
 * episode another run or a person caused or took.
 */
export function startPersuaderRobots(deps: {
  persuader: Robot;
  approver: Robot;
  seed: string | number;
  runTag: string;
  pace: number;
  pollMs: number;
  /** Counties whose episodes the robots leave to people (the demo: the county persuader's). */
  countiesForPeople: readonly string[];
  timers: Timers;
  stats: SimStats;
}): { open(quietSince: number | undefined): number } {
  const seen = new Set<string>();
  const requests = limiter(4);
  let working = 0;
  let lastPollStartedAt = 0;
  let isPolling = false;

  const send = (robot: Robot, id: string, action: PersuasionAction, key: string, bankCode?: string) =>
    requests(() =>
      asRobot(robot, (c) => {
        const params = { path: { id }, header: { 'idempotency-key': key } };
        switch (action.kind) {
          case 'outcome':
            return c.POST('/api/episodes/{id}/outcome', { params, body: { outcome: action.outcome } });
          case 'hold':
            return c.POST('/api/episodes/{id}/hold', {
              params,
              // The bank the person was seen paying from (the latest bank signal): the hold goes there.
              body: {
                reason: '当事人仍在与对方通话并准备继续转账，申请保护性止付',
                hours: 24,
                ...(bankCode ? { bankCode } : {}),
              },
            });
          case 'approve':
            return c.POST('/api/episodes/{id}/hold/approve', { params, body: {} });
          case 'release':
            return c.POST('/api/episodes/{id}/hold/release', { params, body: {} });
        }
      }),
    );

  const work = async (id: string) => {
    const view: EpisodeView = await requests(() =>
      asRobot(deps.persuader, (c) => c.GET('/api/episodes/{id}', { params: { path: { id } } })),
    );
    const key = view.warnings.map((w) => signalKey(w.signalId, deps.runTag)).find((k) => k !== undefined);
    if (!key || !view.isOpen || deps.countiesForPeople.includes(view.countyCode ?? '')) return;
    try {
      await requests(() =>
        asRobot(deps.persuader, (c) =>
          c.POST('/api/episodes/{id}/take', { params: { path: { id } }, body: {} }),
        ),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return; // someone took it first
      throw err;
    }
    deps.stats.episodesWorked++;
    const bankCode = view.warnings
      .map((w) => /^bank:(.+)$/.exec(w.source)?.[1])
      .filter((b) => b !== undefined)
      .at(-1);
    const plan = planPersuasion(deps.seed, key);
    for (const [i, step] of plan.entries()) {
      if (deps.pace > 0) await deps.timers.sleep(step.afterMs * deps.pace);
      const robot = step.action.kind === 'approve' ? deps.approver : deps.persuader;
      try {
        const after = await send(robot, id, step.action, `${deps.runTag}.${id}.${i}`, bankCode);
        const label = step.action.kind === 'outcome' ? step.action.outcome : `hold_${step.action.kind}`;
        deps.stats.persuasionOutcomes[label] = (deps.stats.persuasionOutcomes[label] ?? 0) + 1;
        if (!after.isOpen) {
          deps.stats.episodesClosed++;
          return;
        }
      } catch (err) {
        // The ladder moved meanwhile (a timer, a later signal): this outcome no longer applies there.
        if (!(err instanceof ApiError && err.status === 409)) throw err;
        deps.stats.persuasionRefusedByLadder++;
      }
    }
  };

  const poll = async () => {
    if (isPolling || deps.persuader.isStopped) return;
    isPolling = true;
    const startedAt = Date.now();
    try {
      let after: string | undefined;
      do {
        const page = await asRobot(deps.persuader, (c) =>
          c.GET('/api/episodes', { params: { query: { limit: 200, ...(after ? { after } : {}) } } }),
        );
        for (const e of page.episodes) {
          if (seen.has(e.id) || !e.isOpen) continue;
          seen.add(e.id);
          working++;
          void work(e.id)
            .catch((err: unknown) => {
              if (!deps.persuader.isStopped) countError(deps.stats, 'persuader', err);
            })
            .finally(() => working--);
        }
        after = page.next ?? undefined;
      } while (after);
      lastPollStartedAt = startedAt;
    } catch (err) {
      if (!deps.persuader.isStopped) countError(deps.stats, 'persuader_poll', err);
    } finally {
      isPolling = false;
    }
  };

  const tick = () => {
    if (deps.persuader.isStopped) return;
    void poll();
    deps.timers.at(Date.now() + deps.pollMs, tick);
  };
  tick();
  return {
    // Open while an episode is being worked, or while no poll has begun since the signals went quiet.
    open: (quietSince) => working + (quietSince !== undefined && lastPollStartedAt <= quietSince ? 1 : 0),
  };
}

import { ApiError, type ApiClient, type PublicityBriefLine } from '@fanzha/contracts';
import { campaignChannels } from '@fanzha/domain';
import { rngFor } from './rng';
import { asRobot, type Robot } from './session';
import { countError, type SimStats } from './stats';
import type { Limiter, Timers } from './timers';

const DAY = 86_400_000;
/** How often the centre reads the brief; campaigns per reading at most. */
const EVERY_MS = 60_000;
const PER_ROUND = 2;

const chinaDate = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The robot publicity desk (宣传): the centre reads the week's brief and plans a campaign for each of the top
 * rising groups (one per group and week: the key says so), and the county, played by the same supervisor
 * account, holds it and reports the people reached a little later. Through the public API only.
 */
export function startPublicityRobot(deps: {
  robot: Robot;
  timers: Timers;
  stats: SimStats;
  seed: string | number;
  runTag: string;
  requests: Limiter;
}): void {
  const { timers, requests } = deps;
  const as = <T>(call: (client: ApiClient) => Promise<T>) => requests(() => asRobot(deps.robot, call));
  const planned = new Set<string>();

  async function plan(week: string, line: PublicityBriefLine): Promise<void> {
    const key = `sim-${deps.runTag}-${week}-${line.countyCode}-${line.fraudType}-${line.ageBand}`.slice(
      0,
      128,
    );
    if (planned.has(key)) return;
    planned.add(key);
    // The campaign's own stream (its week and group), never one shared by campaigns whose answers may come
    // back in any order: its channel, when it is held and the people reached are the same in every run.
    const rng = rngFor(deps.seed, 'publicity', week, line.countyCode, line.fraudType, line.ageBand);
    const now = Date.now();
    const campaign = await as((c) =>
      c.POST('/api/publicity/campaigns', {
        body: {
          key,
          countyCode: line.countyCode,
          fraudType: line.fraudType as 'TASK_REBATE',
          ageBand: line.ageBand,
          channel: rng.pick(campaignChannels.filter((ch) => ch !== 'other')),
          plannedOn: chinaDate(now + DAY),
          dueAt: new Date(now + 3 * DAY).toISOString(),
          briefWeek: week,
        },
      }),
    );
    await timers.sleep(rng.int(5_000, 30_000));
    if (timers.isStopped) return;
    await as((c) =>
      c.POST('/api/publicity/campaigns/{id}/complete', {
        params: { path: { id: campaign.id } },
        body: { reach: rng.int(40, 1500), note: '模拟：宣传活动已开展' },
      }),
    );
  }

  async function loop(): Promise<void> {
    while (!timers.isStopped) {
      await timers.sleep(EVERY_MS);
      if (timers.isStopped) return;
      try {
        const brief = await as((c) => c.GET('/api/publicity/brief', { params: { query: { limit: 10 } } }));
        for (const line of brief.lines.slice(0, PER_ROUND))
          void plan(brief.week, line).catch((err: unknown) => {
            // Someone at the console moved it on first: theirs stands.
            if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return;
            countError(deps.stats, 'publicity', err);
          });
      } catch (err) {
        countError(deps.stats, 'publicity', err);
      }
    }
  }
  void loop();
}

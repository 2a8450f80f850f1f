import type { ApiClient, PublicityBrief } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { startPublicityRobot } from './publicity-robot';
import type { Robot } from './session';
import { newStats } from './stats';
import { limiter, type Timers } from './timers';

const brief: PublicityBrief = {
  week: '2026-12-07',
  rule: { baselineWeeks: 4, minReports: 3, minExcess: 2, minRatio: 1.5 },
  lines: [
    ['520102', 'TASK_REBATE', '18-25'],
    ['520103', 'FAKE_INVESTMENT', '46-60'],
  ].map(([countyCode, fraudType, ageBand]) => ({
    countyCode: countyCode!,
    countyName: null,
    fraudType: fraudType!,
    ageBand: ageBand as '18-25',
    reports: 5,
    lossFen: 100_000,
    baseline: 0.5,
    excess: 4.5,
    change: 9,
    previous: [1, 0, 1, 0],
  })),
};

interface Planned {
  channel: unknown;
  reach: unknown;
}

/**
 * One round of the robot against a fake server that answers the two campaigns' creation in the order given;
 * returns what it planned for each county's group.
 */
async function oneRound(answerOrder: 'as-asked' | 'reversed'): Promise<Map<string, Planned>> {
  const planned = new Map<string, Planned>();
  const answers: Array<() => void> = [];
  let bothAsked: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => (bothAsked = resolve));
  let bothDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (bothDone = resolve));
  let rounds = 0;
  const timers = {
    isStopped: false,
    at: () => undefined,
    // The first reading of the brief at once and no other; a campaign is held at once.
    sleep: (ms: number) =>
      ms === 60_000 && rounds++ > 0 ? new Promise<void>(() => undefined) : Promise.resolve(),
    stop: () => undefined,
  } as unknown as Timers;
  const client = {
    GET: () => Promise.resolve(brief),
    POST: (path: string, init: { body: Record<string, unknown>; params?: { path: { id: string } } }) => {
      if (path === '/api/publicity/campaigns') {
        const county = init.body.countyCode as string;
        planned.set(county, { channel: init.body.channel, reach: undefined });
        return new Promise((resolve) => {
          answers.push(() => resolve({ id: county }));
          if (answers.length === 2) bothAsked();
        });
      }
      const county = init.params!.path.id;
      planned.get(county)!.reach = init.body.reach;
      if ([...planned.values()].every((p) => p.reach !== undefined)) bothDone();
      return Promise.resolve({});
    },
  } as unknown as ApiClient;
  const robot: Robot = { client, renew: () => Promise.resolve(client) };
  const stats = newStats();
  startPublicityRobot({ robot, timers, stats, seed: 7, runTag: 'r1', requests: limiter(8) });
  await asked;
  for (const answer of answerOrder === 'as-asked' ? answers : [...answers].reverse()) answer();
  await done;
  expect(stats.errors).toEqual({});
  return planned;
}

describe('the robot publicity desk', () => {
  it("plans each group's campaign from the seed and the group, whatever order the server answers in", async () => {
    const first = await oneRound('as-asked');
    const second = await oneRound('reversed');
    expect([...first.keys()].sort()).toEqual(['520102', '520103']);
    for (const [county, plan] of first) {
      expect(plan.reach).toEqual(expect.any(Number));
      expect(second.get(county)).toEqual(plan);
    }
  });
});

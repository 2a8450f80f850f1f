import { describe, expect, it } from 'vitest';
import { dayOf, dayStart, hourOf, lastDays, monthStart } from './china-time';
import {
  emptyReport,
  mergeTallies,
  planBatch,
  type BatchInput,
  type EpisodeChange,
  type ReportCounted,
  type ReportFacts,
  type StopChange,
  type StopCounted,
} from './wall.plan';
import { tickerText } from './wall.ticker';

const at = new Date('2026-05-01T02:00:00Z'); // 10:00 in China
const facts: ReportFacts = {
  callAnsweredAt: at,
  isSubmitted: true,
  countyCode: '520102',
  fraudType: 'FAKE_CREDIT_REPAIR',
  lossFen: 5_000_000,
  firstStopResultAt: null,
};

function input(over: Partial<BatchInput> = {}): BatchInput {
  return {
    reports: new Map(),
    stops: new Map(),
    tasks: new Map(),
    episodes: new Map(),
    stopChanges: [],
    taskChanges: [],
    episodeChanges: [],
    at,
    ...over,
  };
}
const reportInput = (counted: ReportCounted, f: ReportFacts | undefined = facts) =>
  new Map([['r1', { counted, facts: f }]]);
const stop = (over: Partial<StopChange> = {}): StopChange => ({
  id: 's1',
  occurredAt: new Date(at.getTime() + 95_000),
  reportId: 'r1',
  bankCode: 'ICBC',
  layer: 1,
  sentAt: new Date(at.getTime() + 30_000),
  outcome: 'stopped',
  answeredAt: new Date(at.getTime() + 95_000),
  stoppedFen: 3_100_000,
  frozenFen: 0,
  returnedFen: 0,
  isInForce: true,
  expiresAt: new Date(at.getTime() + 95_000 + 48 * 3_600_000),
  ...over,
});

describe('China time', () => {
  it('buckets by China days and months, whatever the server zone', () => {
    const lateUtc = new Date('2026-04-30T17:30:00Z'); // 01:30 on 1 May in China
    expect(dayOf(lateUtc)).toBe('2026-05-01');
    expect(dayStart(lateUtc).toISOString()).toBe('2026-04-30T16:00:00.000Z');
    expect(monthStart(lateUtc).toISOString()).toBe('2026-04-30T16:00:00.000Z');
    expect(hourOf(lateUtc).toISOString()).toBe('2026-04-30T17:00:00.000Z');
    expect(lastDays(lateUtc, 3)).toEqual(['2026-04-29', '2026-04-30', '2026-05-01']);
  });
});

describe('the rollup plan', () => {
  it('counts a received report by hour, county and fraud type, with a ticker line', () => {
    const plan = planBatch(input({ reports: reportInput(emptyReport) }));
    expect(plan.tallies).toEqual([
      { table: 'day', bucket: '2026-05-01', metric: 'county', key: '520102', n: 1, fen: 5_000_000 },
      {
        table: 'day',
        bucket: '2026-05-01',
        metric: 'fraud_type',
        key: 'FAKE_CREDIT_REPAIR',
        n: 1,
        fen: 5_000_000,
      },
      {
        table: 'hour',
        bucket: '2026-05-01T02:00:00.000Z',
        metric: 'received',
        key: '',
        n: 1,
        fen: 5_000_000,
      },
    ]);
    expect(plan.ticker).toMatchObject([{ kind: 'received', countyCode: '520102', lossFen: 5_000_000 }]);
    expect(plan.reports.get('r1')).toMatchObject({ isReceived: true, lossFen: 5_000_000 });
  });

  it('does not count a draft, and counts nothing twice', () => {
    expect(
      planBatch(input({ reports: reportInput(emptyReport, { ...facts, isSubmitted: false }) })).ticker,
    ).toEqual([]);
    const counted = planBatch(input({ reports: reportInput(emptyReport) })).reports.get('r1')!;
    const again = planBatch(input({ reports: reportInput(counted) }));
    expect(again).toMatchObject({ tallies: [], ticker: [] });
    expect(again.reports.size).toBe(0);
  });

  it('moves a report corrected to another county', () => {
    const counted = planBatch(input({ reports: reportInput(emptyReport) })).reports.get('r1')!;
    const plan = planBatch(input({ reports: reportInput(counted, { ...facts, countyCode: '520103' }) }));
    expect(plan.tallies).toEqual([
      { table: 'day', bucket: '2026-05-01', metric: 'county', key: '520102', n: -1, fen: -5_000_000 },
      { table: 'day', bucket: '2026-05-01', metric: 'county', key: '520103', n: 1, fen: 5_000_000 },
    ]);
  });

  it('counts a stopped account in the hour of the answer, and writes the line the room says', () => {
    const counted = planBatch(input({ reports: reportInput(emptyReport) })).reports.get('r1')!;
    const plan = planBatch(
      input({
        reports: reportInput(counted, { ...facts, firstStopResultAt: new Date(at.getTime() + 95_000) }),
        stopChanges: [stop()],
      }),
    );
    expect(plan.tallies).toEqual([
      { table: 'hour', bucket: '2026-05-01T02:00:00.000Z', metric: 'stopped', key: '', n: 1, fen: 3_100_000 },
    ]);
    expect(plan.stops.get('s1')).toMatchObject({ isStopped: true, responseS: 65, isInForce: true });
    expect(plan.reports.get('r1')).toMatchObject({ toStopS: 95, stoppedFen: 3_100_000 });
    expect(plan.ticker.map(tickerText)).toEqual(['贵阳市南明区 · 虚假征信 · ¥50,000 · 已止付 ¥31,000']);
  });

  it('ignores an older view that arrives after a newer one', () => {
    const newer: StopCounted = { ...planBatch(input({ stopChanges: [stop()] })).stops.get('s1')! };
    const older = stop({ occurredAt: new Date(at.getTime() + 30_000), outcome: null, answeredAt: null });
    const plan = planBatch(input({ stops: new Map([['s1', newer]]), stopChanges: [older] }));
    expect(plan).toMatchObject({ tallies: [], ticker: [] });
    expect(plan.stops.size).toBe(0);
  });

  it('counts money frozen and returned when it happens, as separate series from stopped', () => {
    const stopped = planBatch(input({ stopChanges: [stop()] })).stops.get('s1')!;
    const later = new Date(at.getTime() + 3_600_000);
    const frozen = stop({ occurredAt: later, frozenFen: 3_000_000, isInForce: false });
    const returned = stop({
      occurredAt: new Date(later.getTime() + 1),
      frozenFen: 0,
      returnedFen: 3_000_000,
      isInForce: false,
    });
    const plan = planBatch(input({ stops: new Map([['s1', stopped]]), stopChanges: [returned, frozen] }));
    expect(plan.tallies).toEqual([
      { table: 'hour', bucket: '2026-05-01T03:00:00.000Z', metric: 'frozen', key: '', n: 1, fen: 3_000_000 },
      {
        table: 'hour',
        bucket: '2026-05-01T03:00:00.000Z',
        metric: 'returned',
        key: '',
        n: 1,
        fen: 3_000_000,
      },
    ]);
    expect(plan.stops.get('s1')).toMatchObject({ isInForce: false, frozenFen: 0, returnedFen: 3_000_000 });
  });

  it('keeps the latest state of a county hand-off', () => {
    const dueAt = new Date(at.getTime() + 60_000);
    const plan = planBatch(
      input({
        taskChanges: [
          {
            id: 't1',
            occurredAt: new Date(at.getTime() + 2),
            countyCode: '520102',
            isOpen: false,
            isOverdue: false,
            dueAt,
          },
          { id: 't1', occurredAt: at, countyCode: '520102', isOpen: true, isOverdue: true, dueAt },
        ],
      }),
    );
    expect(plan.tasks.get('t1')).toMatchObject({ isOpen: false });
  });

  it('merges deltas per counter and drops those that cancel out', () => {
    const t = { table: 'hour', bucket: 'b', metric: 'received', key: '' } as const;
    expect(
      mergeTallies([
        { ...t, n: 1, fen: 5 },
        { ...t, n: -1, fen: -5 },
      ]),
    ).toEqual([]);
    expect(
      mergeTallies([
        { ...t, n: 1, fen: 5 },
        { ...t, n: 1, fen: 2 },
      ]),
    ).toEqual([{ ...t, n: 2, fen: 7 }]);
  });
});

describe('the ticker', () => {
  it('says what is not yet known, and never more than county, type and amounts', () => {
    const line = {
      kind: 'received' as const,
      at: at.toISOString(),
      countyCode: null,
      fraudType: null,
      lossFen: 123_456,
      stoppedFen: 0,
      frozenFen: 0,
      returnedFen: 0,
    };
    expect(tickerText(line)).toBe('属地待定 · 类型待定 · ¥1,235 · 新警情');
    expect(
      tickerText({
        ...line,
        kind: 'returned',
        countyCode: '522301',
        fraudType: 'TASK_REBATE',
        returnedFen: 100_000,
      }),
    ).toBe('黔西南州兴义市 · 刷单返利 · ¥1,235 · 已返还 ¥1,000');
  });
});

describe('episodes on the wall (预警 and 劝阻)', () => {
  const episode = (over: Partial<EpisodeChange> = {}): EpisodeChange => ({
    id: 'e1',
    version: 1,
    warningCount: 1,
    lastWarningAt: at,
    isPersuaded: false,
    closedAt: null,
    ...over,
  });
  const warned = (plan: ReturnType<typeof planBatch>, metric = 'warned') =>
    plan.tallies.filter((t) => t.metric === metric).map((t) => [t.bucket, t.n]);

  it('counts each warning listed once, in the hour of the latest warning', () => {
    const later = new Date(at.getTime() + 3_600_000);
    const plan = planBatch(
      input({
        episodeChanges: [episode(), episode({ version: 2, warningCount: 3, lastWarningAt: later })],
      }),
    );
    expect(warned(plan)).toEqual([
      [hourOf(at).toISOString(), 1],
      [hourOf(later).toISOString(), 2],
    ]);
    expect(plan.episodes.get('e1')).toEqual({ warningCount: 3, isPersuaded: false, version: 2 });
  });

  it('a redelivered or older event changes nothing', () => {
    const counted = new Map([['e1', { warningCount: 3, isPersuaded: false, version: 4 }]]);
    const plan = planBatch(
      input({
        episodes: counted,
        episodeChanges: [episode({ version: 4, warningCount: 3 }), episode({ version: 2 })],
      }),
    );
    expect(plan.tallies).toEqual([]);
    expect(plan.episodes.size).toBe(0);
  });

  it('a persuasion counts once in the hour the episode closed', () => {
    const closedAt = new Date(at.getTime() + 2 * 3_600_000);
    const counted = new Map([['e1', { warningCount: 2, isPersuaded: false, version: 3 }]]);
    const closing = episode({ version: 5, warningCount: 2, isPersuaded: true, closedAt });
    const plan = planBatch(
      input({ episodes: counted, episodeChanges: [closing, { ...closing, version: 5 }] }),
    );
    expect(warned(plan)).toEqual([]);
    expect(warned(plan, 'persuaded')).toEqual([[hourOf(closedAt).toISOString(), 1]]);
  });
});

import { describe, expect, it } from 'vitest';
import { ageBandOf, ageBandOfIdNumber } from './age-bands';
import { beforeAfter, briefLines, isRising, type WeekCount } from './brief';
import { nextCampaignStatus } from './campaign';
import { addWeeks, chinaWeekOf, weekOfDate } from './weeks';

const W = '2026-11-30'; // a Monday
const row = (week: string, reports: number, extra: Partial<WeekCount> = {}): WeekCount => ({
  week,
  countyCode: '520102',
  fraudType: 'TASK_REBATE',
  ageBand: '18-25',
  reports,
  lossFen: reports * 100_000,
  ...extra,
});

describe('age bands', () => {
  it('bands ages at their edges', () => {
    expect([17, 18, 25, 26, 35, 36, 45, 46, 60, 61].map(ageBandOf)).toEqual([
      'under-18',
      '18-25',
      '18-25',
      '26-35',
      '26-35',
      '36-45',
      '36-45',
      '46-60',
      '46-60',
      '60+',
    ]);
    expect(ageBandOf(null)).toBe('unknown');
  });
  it('reads the birth date of an ID number on the day of the call, in China', () => {
    // Born 2000-12-01 (check digit valid): 25 on 2026-11-30, 26 from 2026-12-01 China time.
    const id = '110101200012010016';
    expect(ageBandOfIdNumber(id, new Date('2026-11-30T15:59:00Z'))).toBe('18-25');
    expect(ageBandOfIdNumber(id, new Date('2026-11-30T16:00:00Z'))).toBe('26-35');
    expect(ageBandOfIdNumber('110101200012010017', new Date('2026-11-30T00:00:00Z'))).toBe('unknown');
    expect(ageBandOfIdNumber(null, new Date())).toBe('unknown');
  });
});

describe('weeks', () => {
  it('start on Monday in China time', () => {
    expect(chinaWeekOf(new Date('2026-11-29T16:00:00Z'))).toBe(W); // Monday 00:00 in China
    expect(chinaWeekOf(new Date('2026-11-29T15:59:59Z'))).toBe('2026-11-23');
    expect(weekOfDate('2026-12-06')).toBe(W);
    expect(addWeeks(W, -4)).toBe('2026-11-02');
  });
});

describe('the brief rule', () => {
  it('needs 3 reports, 2 above the baseline and 1.5 times it', () => {
    expect(isRising(2, 0)).toBe(false);
    expect(isRising(3, 0)).toBe(true);
    expect(isRising(3, 1.25)).toBe(false); // excess 1.75
    expect(isRising(3, 1)).toBe(true);
    expect(isRising(6, 4)).toBe(true); // 1.5 × 4
    expect(isRising(5.9, 4)).toBe(false);
    expect(isRising(15, 11)).toBe(false); // 4 more, but less than 1.5 ×
  });

  it('computes each line against the four weeks before, by hand', () => {
    const counts = [
      row(W, 6),
      row(addWeeks(W, -1), 2),
      row(addWeeks(W, -2), 1),
      row(addWeeks(W, -3), 0),
      row(addWeeks(W, -4), 1),
      row(addWeeks(W, -5), 40), // outside the baseline
      row(W, 3, { ageBand: '60+', lossFen: 9 }),
      row(W, 9, { fraudType: 'ROMANCE', countyCode: '520103' }),
      row(addWeeks(W, -1), 8, { fraudType: 'ROMANCE', countyCode: '520103' }),
      row(addWeeks(W, -2), 8, { fraudType: 'ROMANCE', countyCode: '520103' }),
      row(W, 2, { ageBand: '26-35' }), // too few
      row(W, 9, { countyCode: '' }), // no county: cannot be aimed at
    ];
    const lines = briefLines(W, counts);
    expect(lines.map((l) => [l.countyCode, l.fraudType, l.ageBand])).toEqual([
      ['520103', 'ROMANCE', '18-25'], // baseline (8 + 8) / 4 = 4; excess 5 as below, but more reports
      ['520102', 'TASK_REBATE', '18-25'],
      ['520102', 'TASK_REBATE', '60+'],
    ]);
    expect(lines.slice(1)).toEqual([
      {
        countyCode: '520102',
        fraudType: 'TASK_REBATE',
        ageBand: '18-25',
        reports: 6,
        lossFen: 600_000,
        baseline: 1,
        excess: 5,
        change: 5,
        previous: [1, 0, 1, 2],
      },
      {
        countyCode: '520102',
        fraudType: 'TASK_REBATE',
        ageBand: '60+',
        reports: 3,
        lossFen: 9,
        baseline: 0,
        excess: 3,
        change: null,
        previous: [0, 0, 0, 0],
      },
    ]);
    expect(lines[0]).toMatchObject({
      reports: 9,
      baseline: 4,
      excess: 5,
      change: 1.25,
      previous: [0, 0, 8, 8],
    });
  });
});

describe('before and after a campaign', () => {
  it('compares the weeks before with the ended weeks after', () => {
    const weekly = new Map([
      [addWeeks(W, -2), 6],
      [addWeeks(W, -1), 4],
      [W, 10],
      [addWeeks(W, 1), 2],
      [addWeeks(W, 2), 3],
    ]);
    expect(beforeAfter(W, addWeeks(W, 2), 2, weekly)).toEqual({
      before: [6, 4],
      after: [2],
      beforeRate: 5,
      afterRate: 2,
      change: -0.6,
    });
    expect(beforeAfter(W, addWeeks(W, 1), 2, weekly).afterRate).toBeNull();
  });
});

describe('campaign lifecycle', () => {
  it('moves only as the table says', () => {
    expect(nextCampaignStatus('planned', 'accept')).toBe('assigned');
    expect(nextCampaignStatus('assigned', 'complete')).toBe('done');
    expect(nextCampaignStatus('done', 'cancel')).toBeUndefined();
    expect(nextCampaignStatus('cancelled', 'complete')).toBeUndefined();
    expect(nextCampaignStatus('assigned', 'accept')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { indicatorRiskLevel, indicatorStatusAfterReports, type IndicatorRecord } from './indicator-risk';

const now = new Date('2026-05-01T08:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const record = (r: Partial<IndicatorRecord>): IndicatorRecord => ({
  reportCount: 1,
  answerCount: 0,
  lossFen: 100_000,
  lastReportedAt: daysAgo(30),
  ...r,
});

describe('indicatorRiskLevel', () => {
  it('is low for one old-ish report with a small loss', () => {
    expect(indicatorRiskLevel(record({}), now)).toBe('low');
  });

  it('is medium for a second report, ¥10,000 of losses, a recent report or a bank answer', () => {
    expect(indicatorRiskLevel(record({ reportCount: 2 }), now)).toBe('medium');
    expect(indicatorRiskLevel(record({ lossFen: 1_000_000 }), now)).toBe('medium');
    expect(indicatorRiskLevel(record({ lastReportedAt: daysAgo(2) }), now)).toBe('medium');
    expect(indicatorRiskLevel(record({ reportCount: 0, answerCount: 1, lastReportedAt: null }), now)).toBe(
      'medium',
    );
  });

  it('is high for three reports, ¥100,000 of losses, or a recent report with ¥10,000', () => {
    expect(indicatorRiskLevel(record({ reportCount: 3 }), now)).toBe('high');
    expect(indicatorRiskLevel(record({ reportCount: 2, answerCount: 1 }), now)).toBe('high');
    expect(indicatorRiskLevel(record({ lossFen: 10_000_000 }), now)).toBe('high');
    expect(indicatorRiskLevel(record({ lossFen: 1_000_000, lastReportedAt: daysAgo(7) }), now)).toBe('high');
    expect(indicatorRiskLevel(record({ lossFen: 1_000_000, lastReportedAt: daysAgo(8) }), now)).toBe(
      'medium',
    );
  });

  it('drops one level when no report has named it for 180 days, never below low', () => {
    expect(indicatorRiskLevel(record({ reportCount: 3, lastReportedAt: daysAgo(181) }), now)).toBe('medium');
    expect(indicatorRiskLevel(record({ reportCount: 2, lastReportedAt: daysAgo(181) }), now)).toBe('low');
    expect(indicatorRiskLevel(record({ lastReportedAt: daysAgo(400) }), now)).toBe('low');
    expect(indicatorRiskLevel(record({ reportCount: 3, lastReportedAt: daysAgo(180) }), now)).toBe('high');
  });

  it('never falls as reports and losses grow (at the same time)', () => {
    const rank = { low: 0, medium: 1, high: 2 } as const;
    for (const age of [0, 10, 200])
      for (let n = 0; n < 6; n++)
        for (const loss of [0, 1_000_000, 10_000_000]) {
          const base = record({ reportCount: n, lossFen: loss, lastReportedAt: daysAgo(age) });
          const more = record({ reportCount: n + 1, lossFen: loss * 2, lastReportedAt: daysAgo(age) });
          expect(rank[indicatorRiskLevel(more, now)]).toBeGreaterThanOrEqual(
            rank[indicatorRiskLevel(base, now)],
          );
        }
  });
});

describe('indicatorStatusAfterReports', () => {
  it('makes an active indicator shared past the threshold, not at it', () => {
    expect(indicatorStatusAfterReports('active', 50, 50)).toBe('active');
    expect(indicatorStatusAfterReports('active', 51, 50)).toBe('shared');
  });

  it('never overrides a decision', () => {
    expect(indicatorStatusAfterReports('not_fraud', 500, 50)).toBe('not_fraud');
    expect(indicatorStatusAfterReports('suspended', 500, 50)).toBe('suspended');
    expect(indicatorStatusAfterReports('shared', 1, 50)).toBe('shared');
  });
});

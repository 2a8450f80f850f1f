import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToScore,
  emptyScore,
  indicatorScore,
  nextRegradeAt,
  regrade,
  riskLevelOfScore,
  scoreAt,
  sourceWeight,
  type ScoreSource,
  type ScoreState,
} from './indicator-score';

const DAY = 86_400_000;
const t0 = new Date('2026-05-01T08:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const report = (lossFen: number, days: number): ScoreSource => ({
  kind: 'report',
  lossFen,
  seenAt: at(days),
});

describe('the risk score', () => {
  it('weighs a report 12, and 12 more for each tenfold of its loss over ¥1,000; a bank answer 12', () => {
    expect(sourceWeight({ kind: 'report', lossFen: 0 })).toBe(12);
    // ¥9,000: log10(1 + 9) = 1.
    expect(sourceWeight({ kind: 'report', lossFen: 900_000 })).toBeCloseTo(24, 10);
    // ¥99,000: log10(100) = 2.
    expect(sourceWeight({ kind: 'report', lossFen: 9_900_000 })).toBeCloseTo(36, 10);
    expect(sourceWeight({ kind: 'bank_answer', lossFen: 0 })).toBe(12);
  });

  it('halves every half-life and reads its level off the thresholds (30 high, 10 medium)', () => {
    const sources = [report(900_000, 0), report(0, 0)];
    expect(indicatorScore(sources, at(0), 90)).toBeCloseTo(36, 10);
    expect(indicatorScore(sources, at(90), 90)).toBeCloseTo(18, 10);
    expect(indicatorScore(sources, at(180), 90)).toBeCloseTo(9, 10);
    expect(riskLevelOfScore(36)).toBe('high');
    expect(riskLevelOfScore(18)).toBe('medium');
    expect(riskLevelOfScore(9)).toBe('low');
    expect(riskLevelOfScore(30)).toBe('high');
    expect(riskLevelOfScore(10)).toBe('medium');
  });

  it('rises by the whole weight when the indicator is seen again after a quiet spell', () => {
    // 24 at day 0, 12 at day 90, then a report: 12 + 12 = 24.
    let s = addToScore(emptyScore, 24, at(0), 90);
    s = addToScore(s, 12, at(90), 90);
    expect(s.score).toBeCloseTo(24, 10);
    expect(s.at).toEqual(at(90));
  });

  it('knows when its level next drops: 36 stays high for 90 · log2(36/30) ≈ 23.7 days', () => {
    const s: ScoreState = { score: 36, at: at(0) };
    const next = nextRegradeAt(s, 90)!;
    const days = (next.getTime() - t0.getTime()) / DAY;
    expect(days).toBeGreaterThan(23.67);
    expect(days).toBeLessThan(23.68);
    expect(riskLevelOfScore(scoreAt(s, next, 90))).toBe('medium');
    expect(nextRegradeAt({ score: 9, at: at(0) }, 90)).toBeNull();
    const r = regrade(s, next, 90);
    expect(r.level).toBe('medium');
    // Medium until 9.99…: 90 · log2(36/10) days after day 0.
    expect((r.regradeAt!.getTime() - t0.getTime()) / DAY).toBeCloseTo(90 * Math.log2(3.6), 2);
  });

  const sourceArb = fc.record({
    kind: fc.constantFrom<'report' | 'bank_answer'>('report', 'bank_answer'),
    lossFen: fc.integer({ min: 0, max: 1_000_000_000 }),
    seenAt: fc.integer({ min: 0, max: 2_000 }).map(at),
  });
  const halfLife = fc.integer({ min: 1, max: 3_650 });

  it('kept incrementally, in any order, is the score of all the sources', () => {
    fc.assert(
      fc.property(fc.array(sourceArb, { minLength: 1, maxLength: 20 }), halfLife, (sources, h) => {
        const now = at(2_500);
        const kept = sources.reduce((s, x) => addToScore(s, sourceWeight(x), x.seenAt, h), emptyScore);
        const whole = indicatorScore(sources, now, h);
        expect(scoreAt(kept, now, h)).toBeCloseTo(whole, 6);
      }),
    );
  });

  it('never rises with time alone, and never falls when a source is added', () => {
    fc.assert(
      fc.property(
        fc.array(sourceArb, { maxLength: 20 }),
        sourceArb,
        halfLife,
        fc.integer({ min: 0, max: 5_000 }),
        (sources, more, h, later) => {
          const now = at(2_000);
          const score = indicatorScore(sources, now, h);
          expect(indicatorScore(sources, at(2_000 + later), h)).toBeLessThanOrEqual(score + 1e-9);
          expect(indicatorScore([...sources, more], now, h)).toBeGreaterThanOrEqual(score);
        },
      ),
    );
  });

  it('never ranks a report with a bigger loss lower, and its level follows the score', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.float({ min: 0, max: 1_000, noNaN: true }),
        fc.float({ min: 0, max: 1_000, noNaN: true }),
        (a, b, x, y) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(sourceWeight({ kind: 'report', lossFen: hi })).toBeGreaterThanOrEqual(
            sourceWeight({ kind: 'report', lossFen: lo }),
          );
          const order = ['low', 'medium', 'high'];
          const [s1, s2] = x <= y ? [x, y] : [y, x];
          expect(order.indexOf(riskLevelOfScore(s2))).toBeGreaterThanOrEqual(
            order.indexOf(riskLevelOfScore(s1)),
          );
        },
      ),
    );
  });

  it('regrading always sets the next drop after now', () => {
    fc.assert(
      fc.property(
        fc.float({ min: 0, max: 10_000, noNaN: true }),
        halfLife,
        fc.integer({ min: 0, max: 5_000 }),
        (score, h, d) => {
          const r = regrade({ score, at: at(0) }, at(d), h);
          if (r.regradeAt) expect(r.regradeAt.getTime()).toBeGreaterThan(at(d).getTime());
          expect(r.level).toBe(riskLevelOfScore(r.state.score));
        },
      ),
    );
  });
});

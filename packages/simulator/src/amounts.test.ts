import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawLossFen, drawTransferCount, MAX_LOSS_YUAN, MIN_LOSS_YUAN, splitFen } from './amounts';
import { fraudProfiles } from './fraud-mix';
import { rngFor } from './rng';

describe('amounts', () => {
  it('draws losses from hundreds to hundreds of thousands of yuan, whole yuan, heavy-tailed', () => {
    const rng = rngFor('loss');
    const rebate = fraudProfiles.find((p) => p.code === 'TASK_REBATE')!;
    const losses = Array.from({ length: 20_000 }, () => drawLossFen(rng, rebate)).sort((a, b) => a - b);
    expect(losses.every((fen) => fen % 100 === 0)).toBe(true);
    expect(losses[0]).toBeGreaterThanOrEqual(MIN_LOSS_YUAN * 100);
    expect(losses.at(-1)).toBeLessThanOrEqual(MAX_LOSS_YUAN * 100);
    const median = losses[10_000]!;
    expect(median / 100).toBeGreaterThan(10_000);
    expect(median / 100).toBeLessThan(14_000);
    expect(losses[19_800]! / median).toBeGreaterThan(10); // a long right tail
    const mean = losses.reduce((s, x) => s + x, 0) / losses.length;
    expect(mean).toBeGreaterThan(1.5 * median);
  });

  it('splits an amount into positive whole-yuan parts that add up exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 100_000_000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        (totalFen, n, seed) => {
          const parts = splitFen(rngFor(seed), totalFen, n, [1, 2, 3]);
          expect(parts.reduce((s, x) => s + x, 0)).toBe(totalFen);
          expect(parts.every((p) => p > 0)).toBe(true);
          expect(parts.length).toBeLessThanOrEqual(n);
        },
      ),
    );
  });

  it('shapes the parts by weight: later payments larger', () => {
    const rng = rngFor('rising');
    let rising = 0;
    for (let i = 0; i < 1000; i++) {
      const [a, b] = splitFen(rng, 10_000_00, 2, [1, 3]);
      if (b! > a!) rising++;
    }
    expect(rising).toBeGreaterThan(900);
  });

  it('draws transfer counts within each type’s limit, mostly one', () => {
    const rng = rngFor('count');
    for (const p of fraudProfiles) {
      const counts = Array.from({ length: 2_000 }, () => drawTransferCount(rng, p));
      expect(Math.max(...counts)).toBeLessThanOrEqual(p.maxTransfers);
      expect(Math.min(...counts)).toBe(1);
      expect(counts.filter((c) => c === 1).length).toBeGreaterThan(1_000);
    }
  });
});

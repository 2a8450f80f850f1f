import { describe, expect, it } from 'vitest';
import { rngFor, uuidFrom } from './rng';

describe('seeded streams', () => {
  it('give the same sequence for the same seed and identity, another for another', () => {
    const draw = (...path: Array<string | number>) => {
      const rng = rngFor(42, ...path);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw('fraud', 3)).toEqual(draw('fraud', 3));
    expect(draw('fraud', 3)).not.toEqual(draw('fraud', 4));
    expect(rngFor(1, 'a').next()).not.toBe(rngFor(2, 'a').next());
    // The path is not a string concatenation: ('a', 'b1') and ('ab', 1) are different identities.
    expect(draw('a', 'b1')).not.toEqual(draw('ab', 1));
  });

  it('draws uniform numbers in [0, 1) with the expected mean', () => {
    const rng = rngFor('uniform');
    const xs = Array.from({ length: 20_000 }, () => rng.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('keeps integers in bounds and picks by weight', () => {
    const rng = rngFor('ints');
    const ints = Array.from({ length: 5_000 }, () => rng.int(3, 7));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6, 7]));
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weightedIndex([1, 2, 7])]!++;
    expect(counts[0]! / 30_000).toBeCloseTo(0.1, 1);
    expect(counts[2]! / 30_000).toBeCloseTo(0.7, 1);
    expect(rng.weightedIndex([0, 0, 5])).toBe(2);
  });

  it('draws log-normal amounts around their median with a long right tail', () => {
    const rng = rngFor('lognormal');
    const xs = Array.from({ length: 20_000 }, () => rng.logNormal(1000, 1)).sort((a, b) => a - b);
    const median = xs[10_000]!;
    expect(median).toBeGreaterThan(900);
    expect(median).toBeLessThan(1100);
    expect(xs[19_800]! / median).toBeGreaterThan(8); // p99 ≈ e^2.33 ≈ 10 times the median
  });

  it('makes well-formed version-4 UUIDs, stable per stream', () => {
    const id = uuidFrom(rngFor(7, 'id'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFrom(rngFor(7, 'id'))).toBe(id);
  });
});

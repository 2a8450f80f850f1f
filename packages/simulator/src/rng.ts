import { createHash } from 'node:crypto';

/**
 * Seeded randomness. Every choice the simulation makes comes from a stream derived by hashing the seed
 * with a stable identity (`rngFor(seed, 'fraud', 17)`), never from one shared stream: what fraud 17 does
 * then cannot depend on the order in which HTTP answers arrived or how many frauds ran before it.
 * The generator is xoshiro128** (small, fast, good statistical quality for simulation).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An index chosen with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Log-normal with the given median and sigma of the underlying normal: heavy right tail. */
  logNormal(median: number, sigma: number): number;
  exponential(mean: number): number;
  /** `n` hex digits. */
  hex(n: number): string;
  digits(n: number): string;
}

export type Seed = string | number;

/** A stream for one identity under a seed, e.g. `rngFor(seed, 'mule', gang, layer, index)`. */
export function rngFor(seed: Seed, ...path: Array<string | number>): Rng {
  const digest = createHash('sha256')
    .update([String(seed), ...path.map(String)].join('\u001f'))
    .digest();
  return createRng([
    digest.readUInt32LE(0),
    digest.readUInt32LE(4),
    digest.readUInt32LE(8),
    digest.readUInt32LE(12),
  ]);
}

function createRng(state: [number, number, number, number]): Rng {
  let [a, b, c, d] = state;
  // xoshiro128** must not start from the all-zero state.
  if ((a | b | c | d) === 0) a = 1;
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result >>> 0;
  };
  const next = () => nextUint32() / 2 ** 32;
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weightedIndex: (weights) => {
      const total = weights.reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    normal: () => {
      // 1 - next() is in (0, 1]: the logarithm stays finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    logNormal: (median, sigma) => median * Math.exp(sigma * rng.normal()),
    exponential: (mean) => -mean * Math.log(1 - next()),
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
    digits: (n) => Array.from({ length: n }, () => Math.floor(next() * 10)).join(''),
  };
  return rng;
}

/** A UUID (version 4 layout) from a stream: ids that are stable for a seed yet unique per run tag. */
export function uuidFrom(rng: Rng): string {
  const h = rng.hex(32).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Clamps `x` into [min, max]. */
export const clamp = (x: number, min: number, max: number) => Math.min(max, Math.max(min, x));

import type { Clock } from '@fanzha/domain';

/**
 * The classes of requests that are rate-limited, each with a token bucket per client:
 * - for public routes, the class the route's policy names, per client address: `sign-in` (the two sign-in
 *   steps), `public` (the API's public reads and documents), `static` (the web app's files), `demo` (the
 *   demo's accounts), `health` (load balancers' checks: a bucket of its own, and loopback is exempt),
 *   `lookup` (the public risk lookup: low, so that no one walks the registry number by number), `appeal`
 *   (filing an appeal and checking its status: lower still);
 * - for routes that need a credential, per credential: `session` (a signed-in person) and `bank-key` (a
 *   bank's system, per key), and on top of those the class a route's policy names for its credentials:
 *   `payee-check` (banks' payment-time checks, per key or session);
 * - `unauthenticated`: requests to those routes without a valid credential, per client address (a flood of
 *   them would otherwise write an audit entry for each refused state change).
 */
export const publicLimitClasses = [
  'sign-in',
  'public',
  'static',
  'demo',
  'health',
  'lookup',
  'appeal',
] as const;
export type PublicLimitClass = (typeof publicLimitClasses)[number];
/** Classes a credentialed route may add to the ceiling per credential. */
export const credentialLimitClasses = ['payee-check'] as const;
export type CredentialLimitClass = (typeof credentialLimitClasses)[number];
export const limitClasses = [
  ...publicLimitClasses,
  'session',
  'bank-key',
  'unauthenticated',
  ...credentialLimitClasses,
] as const;
export type LimitClass = (typeof limitClasses)[number];

/** Up to `count` requests at once, and `count` more every `perMs` on average (a bucket refilled evenly). */
export interface Rate {
  count: number;
  perMs: number;
}

/** The rate of each class; undefined turns the class off. */
export type RateLimits = Readonly<Record<LimitClass, Rate | undefined>>;

interface Bucket {
  tokens: number;
  /** When `tokens` was computed. */
  at: number;
}

/** At most this many buckets per process (about 100 bytes each with its key): memory stays bounded. */
export const MAX_BUCKETS = 100_000;

export interface RateLimiter {
  /**
   * Takes one request from the bucket of `(limitClass, key)`: undefined when it may go ahead, otherwise the
   * seconds until it may (nothing is taken then). A class that is off always lets the request go.
   */
  take(limitClass: LimitClass, key: string): number | undefined;
  /** How many buckets are held, at most (for tests of the memory bound). */
  size(): number;
}

/**
 * Token buckets kept in this process's memory, O(1) per request. They live in two generations: a request
 * finds its bucket in the current one or the previous one, and writes it into the current one. The
 * current generation becomes the previous one (and the previous one is dropped) once it is as old as the
 * slowest class takes to refill a bucket — so whatever is dropped has not been used for that long, and is
 * full again, the same as no bucket — or once it holds half of `maxBuckets`. Then a bucket may be dropped
 * before it has refilled: that client starts afresh, which errs on its side, and memory stays bounded.
 */
export function createRateLimiter(opts: {
  limits: RateLimits;
  clock: Clock;
  maxBuckets?: number;
}): RateLimiter {
  const maxBuckets = opts.maxBuckets ?? MAX_BUCKETS;
  const rates = Object.values(opts.limits).filter((r): r is Rate => r !== undefined);
  const generationMs = Math.max(1_000, ...rates.map((r) => r.perMs));
  let current = new Map<string, Bucket>();
  let previous = new Map<string, Bucket>();
  let generationStartedAt = opts.clock.now().getTime();

  /** The bucket's level now (refilled since it was last computed); a missing bucket is full. */
  const levelOf = (bucket: Bucket | undefined, rate: Rate, now: number) =>
    bucket ? Math.min(rate.count, bucket.tokens + ((now - bucket.at) * rate.count) / rate.perMs) : rate.count;
  const waitS = (level: number, rate: Rate) => ((1 - level) * rate.perMs) / rate.count / 1000;

  return {
    take(limitClass, key) {
      const rate = opts.limits[limitClass];
      if (!rate) return undefined;
      const now = opts.clock.now().getTime();
      if (now - generationStartedAt >= generationMs || current.size >= maxBuckets / 2) {
        previous = current;
        current = new Map();
        generationStartedAt = now;
      }
      const id = `${limitClass}|${key}`;
      const bucket = current.get(id) ?? previous.get(id);
      const level = levelOf(bucket, rate, now);
      if (level < 1) {
        current.set(id, bucket!);
        return waitS(level, rate);
      }
      current.set(id, { tokens: level - 1, at: now });
      return undefined;
    },
    size: () => current.size + previous.size,
  };
}

const units: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000 };

/** Reads `N/s`, `N/min` or `N/h` (N requests at once, and N more each second, minute or hour), or `off`. */
export function parseRate(text: string): Rate | undefined | 'invalid' {
  if (text === 'off') return undefined;
  const match = /^([1-9]\d{0,8})\/(s|min|h)$/.exec(text.trim());
  if (!match) return 'invalid';
  return { count: Number(match[1]), perMs: units[match[2]!]! };
}

/**
 * The defaults: far above what people, the simulator's demo and the browser tests send (docs/operations.md).
 * A centre's staff often reach it from one address (an office behind NAT, or a proxy not yet listed in
 * FANZHA_TRUST_PROXY): a shift of a hundred signing in at once must pass, and guessing passwords is stopped
 * by the lock-outs per username and per address, not by these.
 */
export const defaultRates: Record<LimitClass, string> = {
  'sign-in': '300/min',
  public: '600/min',
  static: '1200/min',
  demo: '600/min',
  health: '600/min',
  // A person checks a few numbers; an app builder's server calling for many people should ask the centre.
  lookup: '30/min',
  // Filing an appeal and checking its status: a person files one or two.
  appeal: '10/min',
  session: '6000/min',
  'bank-key': '6000/min',
  unauthenticated: '1200/min',
  // 100 payees a call: up to 60,000 payees a minute per key.
  'payee-check': '600/min',
};

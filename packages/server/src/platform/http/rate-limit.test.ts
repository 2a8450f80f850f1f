import { TestClock } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, limitClasses, parseRate, type LimitClass, type RateLimits } from './rate-limit';

const limits = (rates: Partial<Record<LimitClass, string>>): RateLimits =>
  Object.fromEntries(
    limitClasses.map((c) => {
      const rate = rates[c] ? parseRate(rates[c]) : undefined;
      return [c, rate === 'invalid' ? undefined : rate];
    }),
  ) as RateLimits;

describe('the rate limiter', () => {
  it('lets a burst of the bucket size through, then tells how long to wait until the next request', () => {
    const clock = new TestClock();
    const limiter = createRateLimiter({ limits: limits({ public: '6/min' }), clock });
    const taken = Array.from({ length: 8 }, () => limiter.take('public', 'a'));
    expect(taken.slice(0, 6)).toEqual(Array<undefined>(6).fill(undefined));
    // Six a minute: one request's worth comes back every ten seconds.
    expect(taken[6]).toBeCloseTo(10);
    clock.advance(4_000);
    expect(limiter.take('public', 'a')).toBeCloseTo(6);
    clock.advance(6_000);
    expect(limiter.take('public', 'a')).toBeUndefined();
    expect(limiter.take('public', 'a')).toBeCloseTo(10);
  });

  it('keeps one bucket per class and key', () => {
    const clock = new TestClock();
    const limiter = createRateLimiter({ limits: limits({ public: '1/min', health: '1/min' }), clock });
    expect(limiter.take('public', 'a')).toBeUndefined();
    expect(limiter.take('public', 'a')).toBeGreaterThan(0);
    expect(limiter.take('public', 'b')).toBeUndefined();
    expect(limiter.take('health', 'a')).toBeUndefined();
  });

  it('never limits a class that is off', () => {
    const limiter = createRateLimiter({ limits: limits({}), clock: new TestClock() });
    for (let i = 0; i < 1000; i++) expect(limiter.take('session', 'a')).toBeUndefined();
    expect(limiter.size()).toBe(0);
  });

  it('forgets buckets that have refilled, and never holds more than its bound', () => {
    const clock = new TestClock();
    const limiter = createRateLimiter({ limits: limits({ public: '10/s' }), clock, maxBuckets: 50 });
    for (let i = 0; i < 20; i++) limiter.take('public', `client-${i}`);
    expect(limiter.size()).toBe(20);
    // Two seconds later every bucket is full again, and has been dropped: only the newest one is held.
    clock.advance(1_000);
    limiter.take('public', 'steady');
    clock.advance(1_000);
    limiter.take('public', 'steady');
    expect(limiter.size()).toBeLessThanOrEqual(2);
    // Many clients at once: never more than the bound, and the busiest keep their counts.
    for (let i = 0; i < 500; i++) {
      limiter.take('public', `burst-${i}`);
      expect(limiter.size()).toBeLessThanOrEqual(50);
    }
    for (let i = 0; i < 9; i++) expect(limiter.take('public', 'burst-499')).toBeUndefined();
    expect(limiter.take('public', 'burst-499')).toBeGreaterThan(0);
  });

  it('reads N/s, N/min, N/h and off, and refuses anything else', () => {
    expect(parseRate('20/s')).toEqual({ count: 20, perMs: 1_000 });
    expect(parseRate('600/min')).toEqual({ count: 600, perMs: 60_000 });
    expect(parseRate('100/h')).toEqual({ count: 100, perMs: 3_600_000 });
    expect(parseRate('off')).toBeUndefined();
    for (const bad of ['0/s', '10', '10/day', '-1/s', '1.5/s', '10 / s', ''])
      expect(parseRate(bad), bad).toBe('invalid');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appealDueAt,
  appealEvents,
  appealReference,
  appealStatuses,
  isAppealReference,
  appealEffectRetryDelayMs,
  isFinalAppealStatus,
  mayDecide,
  mayWithdraw,
  nextAppealStatus,
  type AppealStatus,
} from './lifecycle';

describe('appeal lifecycle', () => {
  it('goes from filing through a review to a decision', () => {
    expect(nextAppealStatus('filed', 'review')).toBe('under_review');
    expect(nextAppealStatus('under_review', 'grant')).toBe('granted');
    expect(nextAppealStatus('under_review', 'deny')).toBe('denied');
    expect(nextAppealStatus('filed', 'withdraw')).toBe('withdrawn');
  });

  it('is never decided without a review', () => {
    expect(nextAppealStatus('filed', 'grant')).toBeUndefined();
    expect(nextAppealStatus('filed', 'deny')).toBeUndefined();
    expect(nextAppealStatus('under_review', 'review')).toBeUndefined();
  });

  it('never leaves a final state, whatever the events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...appealStatuses),
        fc.array(fc.constantFrom(...appealEvents), { maxLength: 20 }),
        (start, events) => {
          let s: AppealStatus = start;
          let wasFinal = isFinalAppealStatus(s);
          for (const e of events) {
            const next = nextAppealStatus(s, e);
            if (wasFinal) expect(next).toBeUndefined();
            if (next === 'granted' || next === 'denied') expect(s).toBe('under_review');
            s = next ?? s;
            wasFinal = wasFinal || isFinalAppealStatus(s);
          }
        },
      ),
    );
  });

  it('is withdrawn only before a decision, and a withdrawn appeal is never decided', () => {
    expect(nextAppealStatus('under_review', 'withdraw')).toBe('withdrawn');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...appealEvents), { maxLength: 20 }), (events) => {
        let s: AppealStatus = 'filed';
        let decided = false;
        for (const e of events) {
          const next = nextAppealStatus(s, e);
          if (e === 'withdraw') expect(next !== undefined).toBe(!decided && !isFinalAppealStatus(s));
          if (e === 'withdraw') expect(mayWithdraw(s)).toBe(next !== undefined);
          if (s === 'withdrawn') expect(next).toBeUndefined();
          if (next === 'granted' || next === 'denied') decided = true;
          s = next ?? s;
        }
      }),
    );
  });

  it('retries a failed effect later each time, at most hourly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
        expect(appealEffectRetryDelayMs(n + 1)).toBeGreaterThanOrEqual(appealEffectRetryDelayMs(n));
        expect(appealEffectRetryDelayMs(n)).toBeLessThanOrEqual(3_600_000);
      }),
    );
    expect(appealEffectRetryDelayMs(1)).toBe(60_000);
  });

  it('needs two different people', () => {
    expect(mayDecide('u1', 'u2')).toBe(true);
    expect(mayDecide('u1', 'u1')).toBe(false);
    expect(mayDecide(null, 'u1')).toBe(false);
  });

  it('makes references of the year and eight unambiguous characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
        expect(isAppealReference(appealReference(2026, bytes))).toBe(true);
      }),
    );
    expect(isAppealReference('SS-2026-0000000O')).toBe(false);
  });

  it('is due the configured days after filing', () => {
    expect(appealDueAt(new Date('2026-01-01T00:00:00Z'), 15).toISOString()).toBe('2026-01-16T00:00:00.000Z');
  });
});

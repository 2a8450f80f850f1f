import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextStopPaymentStatus, stopPaymentStatuses, urgencyScore, type StopPaymentEvent } from './lifecycle';

const events: StopPaymentEvent[] = ['send', 'ack', 'answer_stopped', 'answer_failed', 'withdraw'];

describe('stop-payment lifecycle', () => {
  it('follows the happy path', () => {
    expect(nextStopPaymentStatus('pending', 'send')).toBe('sent');
    expect(nextStopPaymentStatus('sent', 'ack')).toBe('acknowledged');
    expect(nextStopPaymentStatus('acknowledged', 'answer_stopped')).toBe('stopped');
    expect(nextStopPaymentStatus('sent', 'answer_failed')).toBe('failed');
  });

  it('never leaves a final state, and never answers an unsent request', () => {
    fc.assert(
      fc.property(fc.constantFrom(...events), (e) => {
        for (const s of ['stopped', 'failed', 'withdrawn'] as const)
          expect(nextStopPaymentStatus(s, e)).toBeUndefined();
        if (e.startsWith('answer')) expect(nextStopPaymentStatus('pending', e)).toBeUndefined();
      }),
    );
  });

  it('reaches a final state from any state by some sequence of events', () => {
    for (const s of stopPaymentStatuses) {
      let state = s;
      for (const e of ['send', 'answer_stopped'] as const) state = nextStopPaymentStatus(state, e) ?? state;
      expect(['stopped', 'withdrawn', 'failed']).toContain(state);
    }
  });

  it('ranks fresher, larger and shallower requests as more urgent', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const base = { transferredAt: new Date('2026-05-01T09:50:00Z'), amountFen: 5_000_000, layer: 1 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 6 }),
        (ageMin, fen, layer) => {
          const r = { transferredAt: new Date(now.getTime() - ageMin * 60_000), amountFen: fen, layer };
          expect(
            urgencyScore({ ...r, transferredAt: new Date(r.transferredAt.getTime() - 60 * 60_000) }, now),
          ).toBeLessThan(urgencyScore(r, now));
          expect(urgencyScore({ ...r, amountFen: fen * 10 }, now)).toBeGreaterThan(urgencyScore(r, now));
          expect(urgencyScore({ ...r, layer: layer + 1 }, now)).toBeLessThan(urgencyScore(r, now));
        },
      ),
    );
    expect(urgencyScore(base, now)).toBeGreaterThan(0);
  });
});

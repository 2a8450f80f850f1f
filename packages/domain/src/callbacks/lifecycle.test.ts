import { describe, expect, it } from 'vitest';
import { applyCallbackAttempt, defaultCallbackSettings, firstCallbackDue } from './lifecycle';
import { callbackScripts } from './scripts';

const at = new Date('2026-12-01T02:00:00Z');
const settings = { retryMinutes: 60, maxAttempts: 3 };
const reached = (satisfaction: number, complaint: string | null = null) => ({
  outcome: 'reached' as const,
  satisfaction,
  complaint,
});
const noAnswer = { outcome: 'no_answer' as const, satisfaction: null, complaint: null };

describe('a callback’s attempts', () => {
  it('is done when the person is reached, a complaint only for a low satisfaction or a complaint text', () => {
    expect(applyCallbackAttempt('open', 0, reached(5), settings, at)).toEqual({
      ok: true,
      status: 'done',
      dueAt: null,
      isComplaint: false,
    });
    expect(applyCallbackAttempt('open', 0, reached(3), settings, at)).toMatchObject({ isComplaint: false });
    expect(applyCallbackAttempt('open', 0, reached(2), settings, at)).toMatchObject({ isComplaint: true });
    expect(applyCallbackAttempt('open', 0, reached(1), settings, at)).toMatchObject({ isComplaint: true });
    expect(applyCallbackAttempt('open', 0, reached(5, '民警态度差'), settings, at)).toMatchObject({
      status: 'done',
      isComplaint: true,
    });
    expect(applyCallbackAttempt('open', 0, reached(5, '   '), settings, at)).toMatchObject({
      isComplaint: false,
    });
  });

  it('retries an unanswered call after the spacing, and closes as unreachable at the last attempt', () => {
    expect(applyCallbackAttempt('open', 0, noAnswer, settings, at)).toEqual({
      ok: true,
      status: 'open',
      dueAt: new Date(at.getTime() + 60 * 60_000),
      isComplaint: false,
    });
    expect(applyCallbackAttempt('open', 1, { ...noAnswer, outcome: 'busy' }, settings, at)).toMatchObject({
      status: 'open',
    });
    expect(applyCallbackAttempt('open', 2, noAnswer, settings, at)).toEqual({
      ok: true,
      status: 'unreachable',
      dueAt: null,
      isComplaint: false,
    });
    expect(applyCallbackAttempt('open', 0, noAnswer, { ...settings, maxAttempts: 1 }, at)).toMatchObject({
      status: 'unreachable',
    });
  });

  it('closes at once on a wrong number or a refusal', () => {
    const base = { satisfaction: null, complaint: null };
    expect(applyCallbackAttempt('open', 0, { ...base, outcome: 'wrong_number' }, settings, at)).toMatchObject(
      {
        status: 'unreachable',
      },
    );
    expect(applyCallbackAttempt('open', 0, { ...base, outcome: 'refused' }, settings, at)).toMatchObject({
      status: 'refused',
    });
  });

  it('refuses an attempt on a closed callback, a reach without satisfaction, a satisfaction without a reach', () => {
    for (const s of ['done', 'unreachable', 'refused', 'cancelled'] as const)
      expect(applyCallbackAttempt(s, 1, reached(4), settings, at)).toEqual({
        ok: false,
        reason: 'callback.closed',
      });
    expect(applyCallbackAttempt('open', 0, { ...reached(4), satisfaction: null }, settings, at)).toEqual({
      ok: false,
      reason: 'callback.satisfaction_needed',
    });
    expect(applyCallbackAttempt('open', 0, { ...noAnswer, satisfaction: 3 }, settings, at)).toEqual({
      ok: false,
      reason: 'callback.not_reached',
    });
    expect(applyCallbackAttempt('open', 0, { ...noAnswer, complaint: 'x' }, settings, at)).toEqual({
      ok: false,
      reason: 'callback.not_reached',
    });
  });

  it('is first due after the kind’s delay, and every kind has a script with questions', () => {
    expect(firstCallbackDue('persuaded', at, defaultCallbackSettings).getTime() - at.getTime()).toBe(
      3 * 86_400_000,
    );
    for (const s of Object.values(callbackScripts)) expect(s.questions.length).toBeGreaterThanOrEqual(3);
  });
});

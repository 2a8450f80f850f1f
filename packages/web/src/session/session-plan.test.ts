import { describe, expect, it } from 'vitest';
import { sessionPlan, type SessionClock } from './session-plan';

const MIN = 60_000;
const clock: SessionClock = { idleExpiresAt: 30 * MIN, expiresAt: 600 * MIN, idleMs: 30 * MIN };

describe('sessionPlan', () => {
  it('does nothing while plenty of idle time is left', () => {
    expect(sessionPlan(clock, 0, false)).toBe('ok');
    expect(sessionPlan(clock, 10 * MIN, true)).toBe('ok');
  });

  it('keeps a watched console alive once half the idle time is gone', () => {
    expect(sessionPlan(clock, 16 * MIN, true)).toBe('keep-alive');
    expect(sessionPlan(clock, 29 * MIN, true)).toBe('keep-alive');
  });

  it('warns a console nobody watches two minutes before the idle limit', () => {
    expect(sessionPlan(clock, 27 * MIN, false)).toBe('ok');
    expect(sessionPlan(clock, 28.5 * MIN, false)).toBe('warn-idle');
  });

  it('warns at half a short idle limit', () => {
    const short = { idleExpiresAt: MIN, expiresAt: 60 * MIN, idleMs: MIN };
    expect(sessionPlan(short, 20_000, false)).toBe('ok');
    expect(sessionPlan(short, 31_000, false)).toBe('warn-idle');
  });

  it('never keeps alive past the absolute limit: it warns, then ends', () => {
    const late = { idleExpiresAt: 30 * MIN, expiresAt: 20 * MIN, idleMs: 30 * MIN };
    expect(sessionPlan(late, 16 * MIN, true)).toBe('ok');
    expect(sessionPlan(late, 18.5 * MIN, true)).toBe('warn-end');
    expect(sessionPlan(late, 20 * MIN, true)).toBe('ended');
  });

  it('ends at the idle limit', () => {
    expect(sessionPlan(clock, 30 * MIN, false)).toBe('ended');
  });
});

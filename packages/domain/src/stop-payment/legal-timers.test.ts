import { describe, expect, it } from 'vitest';
import { addMonths, legalStateOf, stopExpiresAt } from './legal-timers';

const at = (s: string) => new Date(s);

describe('legal timers', () => {
  const stoppedAt = at('2026-11-28T02:00:00Z');
  const expiresAt = stopExpiresAt(stoppedAt);

  it('an emergency stop lapses exactly 48 hours after the stop', () => {
    expect(expiresAt).toEqual(at('2026-11-30T02:00:00Z'));
    const state = (now: Date) => legalStateOf({ expiresAt, renewedAt: null, freeze: null }, now);
    expect(state(new Date(expiresAt.getTime() - 1))).toBe('stopped');
    expect(state(expiresAt)).toBe('lapsed');
  });

  it('a freeze or a second stop supersedes the lapse', () => {
    const later = at('2026-12-05T00:00:00Z');
    expect(legalStateOf({ expiresAt, renewedAt: at('2026-11-29T00:00:00Z'), freeze: null }, later)).toBe(
      'renewed',
    );
    const freeze = { status: 'active' as const, endsAt: at('2027-05-28T02:00:00Z') };
    expect(legalStateOf({ expiresAt, renewedAt: null, freeze }, later)).toBe('frozen');
    expect(legalStateOf({ expiresAt, renewedAt: null, freeze }, freeze.endsAt)).toBe('expired');
    expect(
      legalStateOf({ expiresAt, renewedAt: null, freeze: { ...freeze, status: 'returned' } }, later),
    ).toBe('returned');
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths(at('2026-11-28T02:00:00Z'), 6)).toEqual(at('2027-05-28T02:00:00Z'));
    expect(addMonths(at('2026-08-31T02:00:00Z'), 6)).toEqual(at('2027-02-28T02:00:00Z'));
  });
});

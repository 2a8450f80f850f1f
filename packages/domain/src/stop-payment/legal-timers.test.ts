import { describe, expect, it } from 'vitest';
import { bankInstructionKinds, executedStatusOf, nextBankInstructionStatus } from './bank-instruction';
import { addMonths, freezeLimitFrom, legalStateOf, returnDueAt, stopExpiresAt } from './legal-timers';

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

describe('freezes and the bank protocol', () => {
  const expiresAt = stopExpiresAt(at('2026-11-28T02:00:00Z'));
  const endsAt = at('2027-05-28T02:00:00Z');

  it('a freeze sent to the bank holds the money as "freezing" until the bank confirms it, even past the lapse', () => {
    const freeze = { status: 'requested' as const, endsAt };
    expect(legalStateOf({ expiresAt, renewedAt: null, freeze }, at('2026-11-29T00:00:00Z'))).toBe('freezing');
    expect(legalStateOf({ expiresAt, renewedAt: null, freeze }, at('2026-12-01T00:00:00Z'))).toBe('freezing');
  });

  it('a freeze the bank could not carry out leaves the stop to lapse at its deadline', () => {
    const freeze = { status: 'failed' as const, endsAt };
    expect(legalStateOf({ expiresAt, renewedAt: null, freeze }, at('2026-11-29T00:00:00Z'))).toBe('stopped');
    expect(legalStateOf({ expiresAt, renewedAt: null, freeze }, expiresAt)).toBe('lapsed');
  });

  it('defines each deadline once: six months for a freeze, three working days for a return', () => {
    expect(freezeLimitFrom(at('2026-11-28T02:00:00Z'))).toEqual(endsAt);
    // Approved on a Friday: Monday, Tuesday, Wednesday are the three working days.
    expect(returnDueAt(at('2026-11-27T02:00:00Z')).getTime()).toBeGreaterThan(
      at('2026-12-02T00:00:00Z').getTime(),
    );
  });
});

describe('the bank instruction lifecycle', () => {
  it('every kind is executed into its own status, from sent or acknowledged, and never twice', () => {
    for (const kind of bankInstructionKinds) {
      expect(nextBankInstructionStatus(kind, 'sent', 'execute')).toBe(executedStatusOf[kind]);
      expect(nextBankInstructionStatus(kind, 'acknowledged', 'execute')).toBe(executedStatusOf[kind]);
      expect(nextBankInstructionStatus(kind, 'sent', 'ack')).toBe('acknowledged');
      expect(nextBankInstructionStatus(kind, 'acknowledged', 'ack')).toBeUndefined();
      const done = executedStatusOf[kind];
      for (const event of ['ack', 'execute', 'fail'] as const)
        expect(nextBankInstructionStatus(kind, done, event)).toBeUndefined();
    }
  });

  it('a lapse notice cannot fail: the stop ended by law', () => {
    expect(nextBankInstructionStatus('stop_lapsed', 'sent', 'fail')).toBeUndefined();
    expect(nextBankInstructionStatus('freeze', 'sent', 'fail')).toBe('failed');
  });

  it('a protective hold may be refused, its release may not: lifting a restriction is always possible', () => {
    expect(nextBankInstructionStatus('protective_hold', 'acknowledged', 'fail')).toBe('failed');
    expect(nextBankInstructionStatus('protective_hold', 'sent', 'execute')).toBe('held');
    expect(nextBankInstructionStatus('protective_hold_release', 'sent', 'fail')).toBeUndefined();
    expect(nextBankInstructionStatus('protective_hold_release', 'acknowledged', 'execute')).toBe('lifted');
  });
});

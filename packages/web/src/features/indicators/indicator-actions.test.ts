import { withLuhnCheckDigit } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import {
  bankOfAccount,
  canRequestCountermeasure,
  countermeasureKindFor,
  decisionsFrom,
  partyKindFor,
} from './indicator-actions';

describe('decisionsFrom', () => {
  it('offers the decisions the registry takes from each status', () => {
    expect(decisionsFrom('active')).toEqual(['not_fraud', 'share']);
    expect(decisionsFrom('shared')).toEqual(['not_fraud', 'unshare']);
    expect(decisionsFrom('suspended')).toEqual(['not_fraud', 'reinstate']);
    expect(decisionsFrom('not_fraud')).toEqual(['reinstate']);
  });

  it('offers nothing on a merged indicator', () => {
    expect(decisionsFrom('merged')).toEqual([]);
  });
});

describe('the countermeasure of an indicator', () => {
  it('is chosen by the indicator’s kind, with its party', () => {
    expect(countermeasureKindFor('phone')).toBe('block_phone');
    expect(countermeasureKindFor('domain')).toBe('takedown_url');
    expect(countermeasureKindFor('app')).toBe('block_app');
    expect(countermeasureKindFor('account')).toBe('restrict_account');
    expect(countermeasureKindFor('social')).toBeNull();
    expect(partyKindFor('block_phone')).toBe('operator');
    expect(partyKindFor('restrict_account')).toBe('bank');
  });

  it('is open only while the indicator is held as a fraudster’s', () => {
    expect(canRequestCountermeasure('active', 'phone')).toBe(true);
    expect(canRequestCountermeasure('shared', 'domain')).toBe(true);
    expect(canRequestCountermeasure('not_fraud', 'phone')).toBe(false);
    expect(canRequestCountermeasure('merged', 'phone')).toBe(false);
    expect(canRequestCountermeasure('active', 'social')).toBe(false);
  });

  it('proposes the bank of an account by its BIN', () => {
    expect(bankOfAccount(withLuhnCheckDigit('622202' + '100011112222'))).toBe('ICBC');
    expect(bankOfAccount('12')).toBeUndefined();
  });
});

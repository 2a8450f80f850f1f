import { describe, expect, it } from 'vitest';
import { withLuhnCheckDigit } from '@fanzha/domain';
import { resolveAccount } from './accounts';

describe('resolveAccount', () => {
  const icbc = withLuhnCheckDigit('620058000000004242'); // an ICBC BIN

  it('takes a card under the bank named, or its BIN’s bank when the name is no bank', () => {
    expect(resolveAccount('t', icbc, 'ICBC', { isCardOnly: true })).toEqual({
      number: icbc,
      bankCode: 'ICBC',
    });
    expect(resolveAccount('t', icbc, 'NOPE', { isCardOnly: true })).toEqual({
      number: icbc,
      bankCode: 'ICBC',
    });
  });

  it('does not take a name every JavaScript object has (constructor, toString, __proto__) for a bank', () => {
    // It used to: the account was kept under bank "constructor", and every view naming its bank failed with a 500.
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(resolveAccount('t', icbc, code, { isCardOnly: true })).toEqual({
        number: icbc,
        bankCode: 'ICBC',
      });
      expect(resolveAccount('t', '6200123456789', code, { isCardOnly: false })).toMatchObject({
        field: 't.bankCode',
        reason: 'unknown_bank',
      });
    }
  });
});

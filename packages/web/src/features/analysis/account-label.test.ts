import { describe, expect, it } from 'vitest';
import { accountName, bankAccountOf, victimReportId, type AccountNames } from './account-label';

const names = (locale: AccountNames['locale']): AccountNames => ({
  locale,
  victim: (r) => (locale === 'en-US' ? `Victim ${r}` : `受害人 ${r}`),
  reportNumbers: new Map([['5d0c2a4e-0000-4000-8000-000000000001', 'JJ20261204-0001']]),
});

describe('account names', () => {
  it('reads the money graph keys', () => {
    expect(victimReportId('victim:abc')).toBe('abc');
    expect(victimReportId('ICBC:6222')).toBeUndefined();
    expect(bankAccountOf('ICBC:6222021000876543210')).toEqual({
      bankCode: 'ICBC',
      number: '6222021000876543210',
    });
    expect(bankAccountOf('victim:abc')).toBeUndefined();
    expect(bankAccountOf('nonsense')).toBeUndefined();
  });

  it('names a victim by the report number, a bank account by its bank and number', () => {
    expect(accountName('victim:5d0c2a4e-0000-4000-8000-000000000001', names('zh-CN'))).toBe(
      '受害人 JJ20261204-0001',
    );
    expect(accountName('victim:9f000000-0000', names('zh-CN'))).toBe('受害人 9f000000');
    expect(accountName('ICBC:6222021000876543210', names('zh-CN'))).toBe(
      '中国工商银行 6222 0210 0087 6543 210',
    );
    expect(accountName('ICBC:6222021000876543210', names('zh-CN'), true)).toBe('中国工商银行 ·3210');
    expect(accountName('CCB:6217002000765432100', names('en-US'), true)).toBe(
      'China Construction Bank ·2100',
    );
    expect(accountName('XYZ:123456789', names('zh-CN'), true)).toBe('XYZ ·6789');
  });
});

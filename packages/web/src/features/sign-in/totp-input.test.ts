import { describe, expect, it } from 'vitest';
import { groupSecret, isCompleteCode, normalizeCode } from './totp-input';

describe('groupSecret', () => {
  it('groups the secret in fours, the last group shorter', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB');
  });

  it('drops spaces and padding and upper-cases', () => {
    expect(groupSecret(' jbsw y3dp ehpk 3pxp== ')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('')).toBe('');
  });
});

describe('normalizeCode / isCompleteCode', () => {
  it('keeps at most six digits of whatever was typed or pasted', () => {
    expect(normalizeCode('123 456')).toBe('123456');
    expect(normalizeCode('12-34-56-78')).toBe('123456');
    expect(normalizeCode('abc')).toBe('');
  });

  it('accepts exactly six digits', () => {
    expect(isCompleteCode('123456')).toBe(true);
    expect(isCompleteCode('12345')).toBe(false);
    expect(isCompleteCode('1234567')).toBe(false);
    expect(isCompleteCode('12345a')).toBe(false);
  });
});

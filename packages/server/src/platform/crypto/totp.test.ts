import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, matchTotp, newTotpSecret, otpauthUrl, totpCode, totpStep } from './totp';

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors (SHA-1, 8 digits truncated to 6)', () => {
    // RFC 6238 appendix B: secret "12345678901234567890"; the 8-digit codes end in these 6 digits.
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    const vectors: Array<[number, string]> = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ];
    for (const [t, code] of vectors) expect(totpCode(secret, totpStep(new Date(t * 1000)))).toBe(code);
  });

  it('round-trips base32', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
        expect([...base32Decode(base32Encode(bytes))]).toEqual([...bytes]);
      }),
    );
  });

  it('accepts the current step and one either side, nothing further', () => {
    const secret = newTotpSecret();
    const at = new Date('2026-05-01T10:00:15Z');
    const step = totpStep(at);
    expect(matchTotp(secret, totpCode(secret, step), at)).toBe(step);
    expect(matchTotp(secret, totpCode(secret, step - 1), at)).toBe(step - 1);
    expect(matchTotp(secret, totpCode(secret, step + 1), at)).toBe(step + 1);
    const far = totpCode(secret, step - 3);
    if (![step - 1, step, step + 1].some((s) => totpCode(secret, s) === far))
      expect(matchTotp(secret, far, at)).toBeUndefined();
  });

  it('builds an otpauth URL authenticators understand', () => {
    const url = new URL(otpauthUrl('JBSWY3DPEHPK3PXP', 'alice'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(url.searchParams.get('period')).toBe('30');
  });
});

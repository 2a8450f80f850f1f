import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatVerificationCode,
  generateVerificationCode,
  parseVerificationCode,
  VERIFICATION_ALPHABET,
} from './verification-code';

// A seeded source of bytes, standing in for the server's cryptographic one.
function bytesFrom(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) & 0xff;
    });
}

describe('verification codes', () => {
  it('makes ten characters from the unambiguous alphabet that pass their own check', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const code = generateVerificationCode(bytesFrom(seed));
        expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTWXYZ]{10}$/);
        expect(parseVerificationCode(code)).toEqual({ ok: true, value: code });
        expect(parseVerificationCode(formatVerificationCode(code).toLowerCase())).toEqual({
          ok: true,
          value: code,
        });
      }),
    );
  });

  it('has no characters that are misread', () => {
    for (const ch of '01ILOUV') expect(VERIFICATION_ALPHABET).not.toContain(ch);
  });

  it('draws every character equally often, so no code is likelier than another', () => {
    const counts = new Map<string, number>();
    const random = bytesFrom(7);
    for (let i = 0; i < 20_000; i++) {
      for (const ch of generateVerificationCode(random).slice(0, 9))
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    const expected = (20_000 * 9) / VERIFICATION_ALPHABET.length;
    for (const ch of VERIFICATION_ALPHABET)
      expect(Math.abs((counts.get(ch) ?? 0) - expected) / expected).toBeLessThan(0.05);
  });

  it('does not repeat itself, and ignores bytes that would bias it', () => {
    const random = bytesFrom(99);
    const codes = new Set(Array.from({ length: 10_000 }, () => generateVerificationCode(random)));
    expect(codes.size).toBe(10_000);
    // 232–255 would make the first 24 characters likelier: they are skipped, 231 is the last byte used.
    let calls = 0;
    const skewed = (n: number) => new Uint8Array(n).fill(calls++ === 0 ? 232 : 231);
    expect(generateVerificationCode(skewed).slice(0, 9)).toBe('Z'.repeat(9));
    expect(calls).toBe(2);
  });

  it('catches one mistyped character and a swap of neighbours', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.nat(9),
        fc.integer({ min: 1, max: VERIFICATION_ALPHABET.length - 1 }),
        (seed, pos, shift) => {
          const code = generateVerificationCode(bytesFrom(seed));
          const i = VERIFICATION_ALPHABET.indexOf(code.charAt(pos));
          const typo =
            code.slice(0, pos) +
            VERIFICATION_ALPHABET.charAt((i + shift) % VERIFICATION_ALPHABET.length) +
            code.slice(pos + 1);
          expect(parseVerificationCode(typo)).toMatchObject({ ok: false, reason: 'code.check' });
          const p = Math.min(pos, 7);
          fc.pre(code.charAt(p) !== code.charAt(p + 1));
          const swapped = code.slice(0, p) + code.charAt(p + 1) + code.charAt(p) + code.slice(p + 2);
          expect(parseVerificationCode(swapped)).toMatchObject({ ok: false, reason: 'code.check' });
        },
      ),
    );
  });

  it('names what is wrong with a typed code', () => {
    expect(parseVerificationCode(' ')).toMatchObject({ reason: 'code.empty' });
    expect(parseVerificationCode('ABCDE')).toMatchObject({ reason: 'code.length' });
    expect(parseVerificationCode('ABCDE-FGH1J')).toMatchObject({ reason: 'code.characters' });
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { STEP_MS, base32Decode, stepAfter, totpCode, totpStep } from './totp';

// RFC 6238 appendix B, SHA-1 rows: the key is ASCII "12345678901234567890"; codes are the last 6 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('totp', () => {
  it('decodes base32', () => {
    expect(base32Decode(RFC_SECRET).toString('ascii')).toBe('12345678901234567890');
    expect(base32Decode('gezd gnbv')).toEqual(base32Decode('GEZDGNBV'));
  });

  it('matches the RFC 6238 test vectors', () => {
    const vectors: [number, string][] = [
      [59, '287082'],
      [1_111_111_109, '081804'],
      [1_111_111_111, '050471'],
      [1_234_567_890, '005924'],
      [2_000_000_000, '279037'],
    ];
    for (const [seconds, code] of vectors) expect(totpCode(RFC_SECRET, totpStep(seconds * 1000))).toBe(code);
  });

  describe('a step not used yet', () => {
    afterEach(() => vi.useRealTimers());
    const at = (step: number, intoMs: number) => vi.setSystemTime(step * STEP_MS + intoMs);

    it('is the current step for a first sign-in, and the next one, at once, for a second', async () => {
      vi.useFakeTimers();
      at(1000, 5_000);
      expect(await stepAfter(undefined)).toBe(1000);
      expect(await stepAfter(999)).toBe(1000);
      expect(await stepAfter(1000)).toBe(1001);
    });

    it('waits for a third sign-in until the step last used is the current one', async () => {
      vi.useFakeTimers();
      at(1000, 5_000);
      let step: number | undefined;
      const next = stepAfter(1001).then((s) => (step = s));
      await vi.advanceTimersByTimeAsync(STEP_MS - 5_000 - 1);
      expect(step).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1_000);
      await next;
      expect(step).toBe(1002);
      expect(totpStep()).toBe(1001);
    });
  });
});

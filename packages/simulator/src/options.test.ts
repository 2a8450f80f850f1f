import { describe, expect, it } from 'vitest';
import { resolveOptions, SimOptionsError } from './options';

const base = { target: 'http://127.0.0.1:8080', auth: { kind: 'demo' as const } };

describe('simulator settings', () => {
  it('fill in people’s pace, typing intake and the robot desk by default', () => {
    const o = resolveOptions(base);
    expect(o.pace).toBe(1);
    expect(o.intake).toBe('typing');
    expect(o.isDeskRobot).toBe(true);
    expect(o.banks).toHaveLength(18);
    expect(o.banksForPeople).toEqual([]);
    expect(resolveOptions({ ...base, pace: 0 }).intake).toBe('batch');
  });

  it("take operators' signals without NATS: they go over HTTPS", () => {
    const o = resolveOptions({ ...base, signalsPerMinute: 60 });
    expect([o.signalsPerMinute, o.natsUrl]).toEqual([60, undefined]);
  });

  it('leave countermeasures and lookups off unless asked, and keep lookups under the per-address limit', () => {
    const o = resolveOptions(base);
    expect([o.countermeasuresPerMinute, o.lookupsPerMinute, o.payeeChecksPerMinute]).toEqual([0, 0, 0]);
    expect(() => resolveOptions({ ...base, lookupsPerMinute: 31 })).toThrow(/lookups/);
    expect(() => resolveOptions({ ...base, payeeChecksPerMinute: -1 })).toThrow(/payee checks/);
    expect(() => resolveOptions({ ...base, countermeasuresPerMinute: Number.NaN })).toThrow(
      /countermeasures/,
    );
  });

  it('list every problem at once', () => {
    try {
      resolveOptions({
        ...base,
        target: 'ftp://x',
        ratePerMinute: 0,
        pace: -1,
        signalsPerMinute: 10_000_000,
        faults: { NOPE: { slow: 0.5 } },
        banksForPeople: ['NOBODY'],
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SimOptionsError);
      const problems = (err as SimOptionsError).problems.join('\n');
      for (const word of ['target', 'rate', 'pace', 'HTTPS', 'NOPE', 'slow', 'NOBODY'])
        expect(problems).toContain(word);
    }
  });
});

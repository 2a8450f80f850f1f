import { describe, expect, it } from 'vitest';
import { defraudedText, formatLatency, formatShare, latencyTone, periodStart } from './warning-effect';

describe('the supervisor’s warning figures', () => {
  it('starts today and this month at China midnight, whatever the UTC date', () => {
    // 2026-05-31 17:00 UTC is already 1 June 01:00 in China.
    const now = new Date('2026-05-31T17:00:00Z');
    expect(periodStart('today', now).toISOString()).toBe('2026-05-31T16:00:00.000Z');
    expect(periodStart('month', now).toISOString()).toBe('2026-05-31T16:00:00.000Z');
    const mid = new Date('2026-05-15T03:00:00Z');
    expect(periodStart('today', mid).toISOString()).toBe('2026-05-14T16:00:00.000Z');
    expect(periodStart('month', mid).toISOString()).toBe('2026-04-30T16:00:00.000Z');
  });

  it('formats shares, latencies and defrauded counts', () => {
    expect(formatShare(null)).toBe('—');
    expect(formatShare(0.667)).toBe('66.7%');
    expect(formatLatency(null)).toBe('—');
    expect(formatLatency(42.4)).toBe('42 s');
    expect(formatLatency(125)).toBe('2:05');
    const f = {
      closed: 3,
      checked7: 3,
      defrauded7: 1,
      defrauded7Share: 0.333,
      checked30: 0,
      defrauded30: 0,
      defrauded30Share: null,
    };
    expect(defraudedText(f, 7)).toBe('1/3 (33.3%)');
    expect(defraudedText(f, 30)).toBe('—');
  });

  it('tones the first-contact latency against its target', () => {
    const base = { reached: 2, withinTarget: 1, withinTargetShare: 0.5, targetS: 300 };
    expect(latencyTone({ ...base, medianS: 60, p90S: 200 })).toBe('good');
    expect(latencyTone({ ...base, medianS: 60, p90S: 400 })).toBe('warn');
    expect(latencyTone({ ...base, medianS: 301, p90S: 400 })).toBe('bad');
    expect(latencyTone({ ...base, medianS: null, p90S: null })).toBeNull();
  });
});

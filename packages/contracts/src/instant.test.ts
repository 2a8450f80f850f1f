import { describe, expect, it } from 'vitest';
import { datetime, day, isStorableTime } from './instant';

describe('an instant on the wire', () => {
  it('takes ISO 8601 with an offset from the year 1 to 9999 in UTC, and refuses what a timestamp cannot hold', () => {
    for (const ok of ['0001-01-01T00:00:00Z', '2026-05-01T08:00:00+08:00', '9999-12-31T23:59:59.999Z'])
      expect(datetime.safeParse(ok).success, ok).toBe(true);
    const codes = (text: string) => datetime.safeParse(text).error?.issues.map((i) => i.code);
    expect(codes('0000-01-01T00:00:00Z')).toEqual(['too_small']);
    // The year 1 in China time is still the year 0 in UTC; the last hours of 9999 west of Greenwich are 10000.
    expect(codes('0001-01-01T07:59:59+08:00')).toEqual(['too_small']);
    expect(codes('9999-12-31T23:00:00-08:00')).toEqual(['too_big']);
    expect(codes('2026-05-01T08:00:00')).toEqual(['invalid_format']);
  });

  it('takes a day from the year 1, and refuses the year 0 no date column holds', () => {
    expect(day.safeParse('0001-01-01').success).toBe(true);
    expect(day.safeParse('9999-12-31').success).toBe(true);
    expect(day.safeParse('0000-01-01').error?.issues.map((i) => i.code)).toEqual(['too_small']);
    expect(day.safeParse('2026-02-30').success).toBe(false);
  });

  it('holds a date the server decodes (from a cursor) to the same range, and no invalid date', () => {
    const storable = (text: string) => isStorableTime(new Date(text));
    expect(storable('0001-01-01T00:00:00Z')).toBe(true);
    expect(storable('9999-12-31T23:59:59.999Z')).toBe(true);
    expect(storable('0000-12-31T23:59:59.999Z')).toBe(false);
    expect(storable('+010000-01-01T00:00:00Z')).toBe(false);
    expect(isStorableTime(new Date(Number.NaN))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { formatCentreTime, formatStopwatch, parseCentreTime, secondsBetween } from './time';

// 2025-05-01 10:00:00 in Guizhou (UTC+8).
const now = new Date('2025-05-01T02:00:00Z');

describe('centre time', () => {
  it('formats in UTC+8 whatever the machine zone', () => {
    expect(formatCentreTime('2025-05-01T02:00:00Z')).toBe('2025-05-01 10:00');
    expect(formatCentreTime('2025-04-30T16:30:05Z', true)).toBe('2025-05-01 00:30:05');
    expect(formatCentreTime(null)).toBe('—');
  });

  it('reads a typed time of day as today, or yesterday when it would be in the future', () => {
    expect(parseCentreTime('09:32', now)).toBe('2025-05-01T01:32:00.000Z');
    expect(parseCentreTime('0932', now)).toBe('2025-05-01T01:32:00.000Z');
    expect(parseCentreTime('9:32:10', now)).toBe('2025-05-01T01:32:10.000Z');
    expect(parseCentreTime('23:50', now)).toBe('2025-04-30T15:50:00.000Z');
  });

  it('reads dates with and without the year, and refuses nonsense', () => {
    expect(parseCentreTime('04-30 23:50', now)).toBe('2025-04-30T15:50:00.000Z');
    expect(parseCentreTime('2024/12/31 08:00', now)).toBe('2024-12-31T00:00:00.000Z');
    for (const bad of ['', '25:00', '12:60', '02-31 10:00', 'yesterday'])
      expect(parseCentreTime(bad, now), bad).toBeUndefined();
  });

  it('counts and shows elapsed seconds', () => {
    expect(secondsBetween('2025-05-01T02:00:00Z', '2025-05-01T02:02:05.900Z')).toBe(125);
    expect(secondsBetween('2025-05-01T02:00:00Z', '2025-05-01T01:00:00Z')).toBe(0);
    expect(formatStopwatch(125)).toBe('2:05');
    expect(formatStopwatch(3725)).toBe('1:02:05');
  });
});

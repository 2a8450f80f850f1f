import { describe, expect, it } from 'vitest';
import { formatDateTime } from './date-time';

describe('formatDateTime', () => {
  it('shows Beijing time, 24-hour, with seconds, whatever the zone of the machine', () => {
    expect(formatDateTime('2025-01-02T00:09:10Z')).toBe('2025-01-02 08:09:10');
    expect(formatDateTime('2025-01-02T15:09:10-05:00')).toBe('2025-01-03 04:09:10');
  });

  it('passes an unreadable value through', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});

import { describe, expect, it } from 'vitest';
import { formatDateTime } from './date-time';

describe('formatDateTime', () => {
  it('shows a 24-hour local time with seconds', () => {
    expect(formatDateTime('2025-01-02T00:09:10Z', 'zh-CN', 'Asia/Shanghai')).toBe('2025/01/02 08:09:10');
    expect(formatDateTime('2025-01-02T15:09:10Z', 'en-US', 'UTC')).toBe('01/02/2025, 15:09:10');
  });

  it('passes an unreadable value through', () => {
    expect(formatDateTime('not a date', 'zh-CN')).toBe('not a date');
  });
});

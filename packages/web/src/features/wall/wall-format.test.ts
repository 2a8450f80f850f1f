import type { WallTickerItem } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { compactYuan, formatLeft, formatSeconds, fraudTypeName, tickerLine } from './wall-format';
import { mergeTicker } from './wall-ticker';

describe('wall numbers', () => {
  it('reads money in 万 and 亿 in Chinese, k and M in English', () => {
    expect(compactYuan(3_100_000, 'zh-CN')).toEqual({ value: '3.10', unit: '万元' });
    expect(compactYuan(123_456_789_00, 'zh-CN')).toEqual({ value: '1.23', unit: '亿元' });
    expect(compactYuan(950_00, 'zh-CN')).toEqual({ value: '950', unit: '元' });
    expect(compactYuan(3_100_000, 'en-US')).toEqual({ value: '¥31.00', unit: 'k' });
    expect(compactYuan(0, 'en-US')).toEqual({ value: '¥0', unit: '' });
  });

  it('shows durations and time left', () => {
    expect(formatSeconds(95.4, 'zh-CN')).toBe('95 秒');
    expect(formatSeconds(null, 'en-US')).toBe('—');
    const now = new Date('2026-05-01T00:00:00Z');
    expect(formatLeft(new Date('2026-05-01T05:12:30Z'), now, 'zh-CN')).toBe('5 小时 12 分');
    expect(formatLeft(new Date('2026-05-01T00:40:00Z'), now, 'en-US')).toBe('40 min');
    expect(fraudTypeName('FAKE_CREDIT_REPAIR', 'zh-CN', '?')).toBe('虚假征信');
    expect(fraudTypeName('NOT_A_TYPE', 'zh-CN', '类型待定')).toBe('类型待定');
  });
});

const item = (id: string, over: Partial<WallTickerItem> = {}): WallTickerItem => ({
  id,
  at: '2026-05-01T02:00:00.000Z',
  kind: 'stopped',
  countyCode: '520102',
  fraudType: 'FAKE_CREDIT_REPAIR',
  lossFen: 5_000_000,
  stoppedFen: 3_100_000,
  frozenFen: 0,
  returnedFen: 0,
  text: '贵阳市南明区 · 虚假征信 · ¥50,000 · 已止付 ¥31,000',
  ...over,
});

describe('the ticker', () => {
  it("shows the server's Chinese line, and the same facts in English", () => {
    expect(tickerLine(item('1'), 'zh-CN')).toBe('贵阳市南明区 · 虚假征信 · ¥50,000 · 已止付 ¥31,000');
    expect(tickerLine(item('1'), 'en-US')).toBe(
      '贵阳市南明区 · Fake credit-record repair · ¥50,000 · stopped ¥31,000',
    );
  });

  it('keeps each line once, newest first, and never more than it shows', () => {
    const merged = mergeTicker([item('12'), item('11')], [item('11'), item('10'), item('9')], 3);
    expect(merged.map((l) => l.id)).toEqual(['12', '11', '10']);
  });
});

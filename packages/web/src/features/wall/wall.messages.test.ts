import { describe, expect, it } from 'vitest';
import { wallTranslator } from './wall.messages';

describe('the wall in both languages', () => {
  const zh = wallTranslator('zh-CN');
  const en = wallTranslator('en-US');

  it('titles the map alike: the same period, figure and unit, by county', () => {
    expect(zh('map.reports')).toBe('本月警情（起）· 按区县');
    expect(en('map.reports')).toBe('Reports this month · by county');
    expect(zh('map.loss')).toBe('本月损失（万元）· 按区县');
    expect(en('map.loss')).toBe('Losses this month (¥10k) · by county');
    // The same unit as the losses on the hourly chart, in each language.
    expect(zh('map.loss')).toContain(zh('hourly.loss').replace('损失', ''));
    expect(en('map.loss')).toContain('(¥10k)');
    expect(en('hourly.loss')).toContain('(¥10k)');
  });
});

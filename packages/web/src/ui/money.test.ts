import { describe, expect, it } from 'vitest';
import { fenToYuanInput, formatYuan, parseYuanToFen } from './money';

describe('money', () => {
  it('shows yuan with separators', () => {
    expect(formatYuan(5_000_000)).toBe('¥50,000.00');
    expect(formatYuan(123_456)).toBe('¥1,234.56');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan(null)).toBe('—');
  });

  it('reads typed yuan as integer fen without float error', () => {
    expect(parseYuanToFen('50000')).toBe(5_000_000);
    expect(parseYuanToFen('50,000.5')).toBe(5_000_050);
    expect(parseYuanToFen('¥1,234.56')).toBe(123_456);
    expect(parseYuanToFen('0.29')).toBe(29);
    expect(parseYuanToFen('19.99')).toBe(1999);
    expect(parseYuanToFen('3 000元')).toBe(300_000);
    for (const bad of ['', 'abc', '1.234', '-5', '1e5']) expect(parseYuanToFen(bad), bad).toBeUndefined();
  });

  it('round-trips fen to the input text', () => {
    for (const fen of [0, 5, 150, 5_000_000, 123_456]) expect(parseYuanToFen(fenToYuanInput(fen))).toBe(fen);
    expect(fenToYuanInput(5_000_000)).toBe('50000');
    expect(fenToYuanInput(123_450)).toBe('1234.50');
    expect(fenToYuanInput(null)).toBe('');
  });
});

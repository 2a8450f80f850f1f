import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration';
import { translate, type Translate } from './translate';

const zh: Translate = (key, params) => translate('zh-CN', key, params);
const en: Translate = (key, params) => translate('en-US', key, params);

describe('formatDuration', () => {
  it('shows seconds for a fresh start, including zero', () => {
    expect(formatDuration(0, en)).toBe('0 s');
    expect(formatDuration(42.9, en)).toBe('42 s');
  });

  it('keeps the two largest non-zero units', () => {
    expect(formatDuration(3_725, en)).toBe('1 h 2 min');
    expect(formatDuration(90_061, en)).toBe('1 d 1 h');
    expect(formatDuration(86_400 + 59, en)).toBe('1 d 59 s');
    expect(formatDuration(3_725, zh)).toBe('1 小时 2 分钟');
  });

  it('treats nonsense as zero', () => {
    expect(formatDuration(-5, en)).toBe('0 s');
    expect(formatDuration(Number.NaN, en)).toBe('0 s');
  });
});

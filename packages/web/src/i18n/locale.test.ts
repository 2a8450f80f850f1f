import { describe, expect, it } from 'vitest';
import { LOCALE_STORAGE_KEY, readLocale, resolveLocale, writeLocale } from './locale';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

const throwing = {
  getItem: (): string | null => {
    throw new Error('denied');
  },
  setItem: (): void => {
    throw new Error('denied');
  },
};

describe('resolveLocale', () => {
  it('keeps a supported stored value', () => {
    expect(resolveLocale('en-US')).toBe('en-US');
    expect(resolveLocale('zh-CN')).toBe('zh-CN');
  });

  it('defaults to zh-CN for nothing or anything unknown', () => {
    for (const value of [null, undefined, '', 'en', 'fr-FR', 'EN-us'])
      expect(resolveLocale(value)).toBe('zh-CN');
  });
});

describe('readLocale / writeLocale', () => {
  it('round-trips through storage', () => {
    const storage = memoryStorage();
    expect(readLocale(storage)).toBe('zh-CN');
    writeLocale(storage, 'en-US');
    expect(storage.getItem(LOCALE_STORAGE_KEY)).toBe('en-US');
    expect(readLocale(storage)).toBe('en-US');
  });

  it('survives missing or failing storage', () => {
    expect(readLocale(undefined)).toBe('zh-CN');
    expect(readLocale(throwing)).toBe('zh-CN');
    expect(() => writeLocale(throwing, 'en-US')).not.toThrow();
  });
});

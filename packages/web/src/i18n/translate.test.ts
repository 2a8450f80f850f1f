import { describe, expect, it } from 'vitest';
import { dictionaries, type MessageKey, type Messages } from './messages';
import { hasMessage, interpolate, translate } from './translate';

const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('interpolate', () => {
  it('fills named slots, repeatedly and with numbers', () => {
    expect(interpolate('{a} and {b} and {a}', { a: 'x', b: 2 })).toBe('x and 2 and x');
  });

  it('leaves a slot without a value visible', () => {
    expect(interpolate('code {code}', {})).toBe('code {code}');
    expect(interpolate('code {code}')).toBe('code {code}');
  });
});

describe('translate', () => {
  it('uses the chosen language', () => {
    expect(translate('zh-CN', 'nav.home')).toBe('首页');
    expect(translate('en-US', 'nav.home')).toBe('Home');
  });

  it('interpolates parameters', () => {
    expect(translate('en-US', 'admin.done.disable', { username: 'lin' })).toBe('lin disabled');
  });

  it('falls back to zh-CN when a translation is blank, then to the key itself', () => {
    const dicts: Record<'zh-CN' | 'en-US', Partial<Messages>> = {
      'zh-CN': { 'nav.home': '首页' },
      'en-US': { 'nav.home': '' },
    };
    expect(translate('en-US', 'nav.home', undefined, dicts)).toBe('首页');
    expect(translate('en-US', 'home.retry', undefined, dicts)).toBe('home.retry');
  });
});

describe('dictionaries', () => {
  const keys = Object.keys(dictionaries['zh-CN']) as MessageKey[];

  it('have no blank strings', () => {
    for (const dict of Object.values(dictionaries)) {
      for (const key of keys) expect(dict[key].trim(), key).not.toBe('');
    }
  });

  it('use the same slots in every language', () => {
    for (const key of keys) {
      expect(slots(dictionaries['en-US'][key]), key).toEqual(slots(dictionaries['zh-CN'][key]));
    }
  });
});

describe('hasMessage', () => {
  it('knows the dictionary keys only', () => {
    expect(hasMessage('role.admin')).toBe(true);
    expect(hasMessage('role.janitor')).toBe(false);
    expect(hasMessage('toString')).toBe(false);
  });
});

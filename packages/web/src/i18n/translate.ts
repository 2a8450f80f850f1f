import { DEFAULT_LOCALE, type Locale } from './locale';
import { dictionaries as defaultDictionaries, type MessageKey, type Messages } from './messages';

export type MessageParams = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** Fills `{name}` slots; a slot without a value stays visible so the gap is noticed, not hidden. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => {
    const value = params[name];
    return value === undefined ? slot : String(value);
  });
}

/**
 * Types make a missing key impossible at build time; at run time an empty string (a translation
 * left blank) falls back to zh-CN, and a key unknown to both (e.g. built from server data) shows
 * itself rather than nothing.
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  params?: MessageParams,
  dictionaries: Record<Locale, Partial<Messages>> = defaultDictionaries,
): string {
  const template = dictionaries[locale][key] || dictionaries[DEFAULT_LOCALE][key] || key;
  return interpolate(template, params);
}

/** For names that come from the server (a role, an action): translate those the dictionary knows. */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(defaultDictionaries[DEFAULT_LOCALE], key);
}

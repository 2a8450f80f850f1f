/** The interface languages, zh-CN first: the centre works in Chinese, English is for visitors and reviewers. */
export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'fanzha.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A stored choice wins; anything else (nothing stored, an old or tampered value) means zh-CN. */
export function resolveLocale(stored: string | null | undefined): Locale {
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
}

type LocaleStorage = Pick<Storage, 'getItem' | 'setItem'>;

// Storage can throw (disabled cookies, private mode, quota); the language choice is a convenience,
// so failures fall back to the default instead of breaking the app.
export function readLocale(storage: LocaleStorage | undefined): Locale {
  try {
    return resolveLocale(storage?.getItem(LOCALE_STORAGE_KEY));
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function writeLocale(storage: LocaleStorage | undefined, locale: Locale): void {
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Not persisted; the choice still holds for this page load.
  }
}

/** Each language is named in itself, so a reader finds theirs whatever the current language is. */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', 'en-US': 'English' };

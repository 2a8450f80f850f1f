export { I18nProvider, useLocale, useT } from './i18n-provider';
export { LOCALES, LOCALE_NAMES, type Locale } from './locale';
export type { MessageKey } from './messages';
export { formatDuration } from './duration';
export { formatDateTime } from './date-time';
export { hasMessage, type Translate } from './translate';
export { errorText, reasonText } from './server-text';

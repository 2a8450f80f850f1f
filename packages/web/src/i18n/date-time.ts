import type { Locale } from './locale';

/**
 * A timestamp in the user's time zone, 24-hour, seconds included (audit work compares them):
 * "2025/01/02 08:09:10" in zh-CN. An unreadable value is shown as it came.
 */
export function formatDateTime(iso: string, locale: Locale, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  });
}

/**
 * The wall counts in China time (UTC+8, no daylight saving), whatever the server's time zone. Hours are
 * whole in both, so an hour bucket is the UTC hour; a day or a month starts at 16:00 UTC the day before.
 */
const OFFSET_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The start of the hour `at` falls in. */
export const hourOf = (at: Date): Date => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);

/** The China calendar day of `at`, as `YYYY-MM-DD`. */
export const dayOf = (at: Date): string => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);

/** Midnight (China time) of the day `at` falls in. */
export const dayStart = (at: Date): Date =>
  new Date(Math.floor((at.getTime() + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS);

/** Midnight (China time) of the first day of the month `at` falls in. */
export function monthStart(at: Date): Date {
  const local = new Date(at.getTime() + OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - OFFSET_MS);
}

/** The `n` China days ending with the day of `at`, oldest first. */
export function lastDays(at: Date, n: number): string[] {
  const today = dayStart(at).getTime();
  return Array.from({ length: n }, (_, i) => dayOf(new Date(today - (n - 1 - i) * DAY_MS)));
}

/** The `n` hours ending with the hour of `at`, oldest first. */
export function lastHours(at: Date, n: number): Date[] {
  const now = hourOf(at).getTime();
  return Array.from({ length: n }, (_, i) => new Date(now - (n - 1 - i) * HOUR_MS));
}

const DAY = 86_400_000;
const CHINA = 8 * 3_600_000;

/**
 * Publicity counts by week: a week starts on Monday 00:00 China time and is named by that Monday's date
 * (`2026-11-30`).
 */
export function chinaWeekOf(at: Date): string {
  const local = new Date(at.getTime() + CHINA);
  const daysSinceMonday = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - daysSinceMonday * DAY).toISOString().slice(0, 10);
}

/** The week that holds a calendar date (`YYYY-MM-DD`, a day in China). */
export function weekOfDate(date: string): string {
  return chinaWeekOf(new Date(`${date}T00:00:00+08:00`));
}

/** The week `n` weeks after `week` (before it when negative). */
export function addWeeks(week: string, n: number): string {
  return new Date(Date.parse(`${week}T00:00:00Z`) + n * 7 * DAY).toISOString().slice(0, 10);
}

/** When a week starts, as an instant. */
export const weekStart = (week: string): Date => new Date(`${week}T00:00:00+08:00`);

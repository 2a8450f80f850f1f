import { exchangedWorkdays, holidayCalendarLastYear, publicHolidays } from '../data/cn-holidays';

const holidays = new Set(publicHolidays);
const exchanged = new Set(exchangedWorkdays);
/** Legal deadlines count days in China's time zone (UTC+8, no daylight saving). */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

const ymd = (chinaMidnightMs: number) =>
  new Date(chinaMidnightMs).toISOString().slice(0, 10).replaceAll('-', '');

/**
 * Whether a calendar day (given as the UTC ms of its midnight in China time) is a working day: weekdays
 * unless a public holiday, and weekends made working days in exchange (调休). Beyond the calendar's last
 * year only weekdays count, which errs on the side of an earlier deadline.
 */
function isWorkingDayAt(chinaMidnightMs: number): boolean {
  const key = ymd(chinaMidnightMs);
  if (exchanged.has(key)) return true;
  if (holidays.has(key)) return false;
  const weekday = new Date(chinaMidnightMs).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Whether the China-time calendar day containing `at` is a working day. */
export function isWorkingDay(at: Date): boolean {
  return isWorkingDayAt(Math.floor((at.getTime() + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS);
}

/**
 * The end of the `n`th working day after the day of `from` (China time): a decision on Friday with
 * three working days is due at the end of the following Wednesday, holidays skipped. The answer is the
 * instant the next day begins, so a deadline is met by anything strictly before it.
 */
export function addWorkingDays(from: Date, n: number): Date {
  let day = Math.floor((from.getTime() + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS;
  for (let left = n; left > 0;) {
    day += DAY_MS;
    if (isWorkingDayAt(day)) left--;
  }
  return new Date(day + DAY_MS - CHINA_OFFSET_MS);
}

export { holidayCalendarLastYear };

import type { PeriodKind } from '@fanzha/contracts';

/**
 * A report's period in China time (UTC+8, no daylight saving): a day, the week (Monday to Sunday) or the
 * month that contains a given day. `from` and `to` are instants; `fromDay` and `toDay` the first day and the
 * day after the last, as `YYYY-MM-DD`.
 */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface Period {
  kind: PeriodKind;
  fromDay: string;
  toDay: string;
  lastDay: string;
  from: Date;
  to: Date;
}

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const chinaMidnight = (day: string) => new Date(dayMs(day) - OFFSET_MS);

/**
 * The first day a report may be asked for. Nothing the centre records is older, and earlier days are not
 * safe to compute with: `Date.UTC` reads the years 0–99 as 1900–1999, and PostgreSQL keeps no year 0.
 */
export const EARLIEST_DAY = '1970-01-01';

/** The China calendar day of `at`. */
export const chinaDay = (at: Date): string => isoDay(at.getTime() + OFFSET_MS);

export function periodOf(kind: PeriodKind, day: string): Period {
  const d = new Date(dayMs(day));
  let fromMs: number;
  let toMs: number;
  if (kind === 'daily') {
    fromMs = d.getTime();
    toMs = fromMs + DAY_MS;
  } else if (kind === 'weekly') {
    fromMs = d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    toMs = fromMs + 7 * DAY_MS;
  } else {
    fromMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    toMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const fromDay = isoDay(fromMs);
  const toDay = isoDay(toMs);
  return {
    kind,
    fromDay,
    toDay,
    lastDay: isoDay(toMs - DAY_MS),
    from: chinaMidnight(fromDay),
    to: chinaMidnight(toDay),
  };
}

/** The periods that ended by `now` and are due to be generated: yesterday, last week on Mondays, last month on the 1st. */
export function duePeriods(now: Date): Period[] {
  const today = chinaDay(now);
  const yesterday = isoDay(dayMs(today) - DAY_MS);
  const out = [periodOf('daily', yesterday)];
  if (new Date(dayMs(today)).getUTCDay() === 1) out.push(periodOf('weekly', yesterday));
  if (today.endsWith('-01')) out.push(periodOf('monthly', yesterday));
  return out;
}

const KIND_ZH: Record<PeriodKind, string> = { daily: '日报', weekly: '周报', monthly: '月报' };

/** '贵州省反诈中心 日报 2026-12-01', '… 周报 2026-11-30 至 2026-12-06'. */
export function periodTitle(p: Pick<Period, 'kind' | 'fromDay' | 'lastDay'>, scopeName: string): string {
  const span =
    p.kind === 'daily'
      ? p.fromDay
      : p.kind === 'monthly'
        ? p.fromDay.slice(0, 7)
        : `${p.fromDay} 至 ${p.lastDay}`;
  return `${scopeName} ${KIND_ZH[p.kind]} ${span}`;
}

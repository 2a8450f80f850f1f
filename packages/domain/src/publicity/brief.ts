import type { AgeBand } from './age-bands';
import { addWeeks } from './weeks';

/**
 * The publicity brief's rule (宣传研判): a group — one county × fraud type × age band — is rising in a week
 * when, against its baseline (the weekly average of the four weeks before):
 *   - at least BRIEF_MIN_REPORTS reports this week (one or two reports are not a trend),
 *   - at least BRIEF_MIN_EXCESS more than the baseline, and
 *   - at least BRIEF_MIN_RATIO times the baseline (a baseline of 0 passes: new in this group).
 * Lines rank by excess (this week − baseline), then this week's reports, then losses, then the keys.
 * Reports without a county or a fraud type cannot be aimed at: they never make a line.
 */
export const BRIEF_BASELINE_WEEKS = 4;
export const BRIEF_MIN_REPORTS = 3;
export const BRIEF_MIN_EXCESS = 2;
export const BRIEF_MIN_RATIO = 1.5;

export interface WeekCount {
  week: string;
  countyCode: string;
  fraudType: string;
  ageBand: AgeBand;
  reports: number;
  lossFen: number;
}

export interface BriefLine {
  countyCode: string;
  fraudType: string;
  ageBand: AgeBand;
  reports: number;
  lossFen: number;
  /** Weekly average of the four weeks before. */
  baseline: number;
  /** this week − baseline */
  excess: number;
  /** (this week − baseline) / baseline; null when the baseline is 0. */
  change: number | null;
  /** Reports in each of the four weeks before, oldest first. */
  previous: number[];
}

export function isRising(reports: number, baseline: number): boolean {
  return (
    reports >= BRIEF_MIN_REPORTS &&
    reports - baseline >= BRIEF_MIN_EXCESS &&
    (baseline === 0 || reports >= BRIEF_MIN_RATIO * baseline)
  );
}

/** The brief of `week` from the weekly counts of that week and the four before it (others are ignored). */
export function briefLines(week: string, counts: readonly WeekCount[]): BriefLine[] {
  const weeks = Array.from({ length: BRIEF_BASELINE_WEEKS }, (_, i) =>
    addWeeks(week, i - BRIEF_BASELINE_WEEKS),
  );
  const groups = new Map<
    string,
    { key: Omit<WeekCount, 'week' | 'reports' | 'lossFen'>; now: WeekCount | null; prev: number[] }
  >();
  for (const c of counts) {
    if (!c.countyCode || !c.fraudType) continue;
    const at = c.week === week ? -1 : weeks.indexOf(c.week);
    if (c.week !== week && at < 0) continue;
    const id = `${c.countyCode}|${c.fraudType}|${c.ageBand}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        key: { countyCode: c.countyCode, fraudType: c.fraudType, ageBand: c.ageBand },
        now: null,
        prev: weeks.map(() => 0),
      };
      groups.set(id, g);
    }
    if (at < 0)
      g.now = {
        ...c,
        reports: (g.now?.reports ?? 0) + c.reports,
        lossFen: (g.now?.lossFen ?? 0) + c.lossFen,
      };
    else g.prev[at]! += c.reports;
  }
  const lines: BriefLine[] = [];
  for (const g of groups.values()) {
    if (!g.now) continue;
    const baseline = g.prev.reduce((s, n) => s + n, 0) / BRIEF_BASELINE_WEEKS;
    if (!isRising(g.now.reports, baseline)) continue;
    lines.push({
      ...g.key,
      reports: g.now.reports,
      lossFen: g.now.lossFen,
      baseline,
      excess: g.now.reports - baseline,
      change: baseline === 0 ? null : (g.now.reports - baseline) / baseline,
      previous: g.prev,
    });
  }
  return lines.sort(
    (a, b) =>
      b.excess - a.excess ||
      b.reports - a.reports ||
      b.lossFen - a.lossFen ||
      a.countyCode.localeCompare(b.countyCode) ||
      a.fraudType.localeCompare(b.fraudType) ||
      a.ageBand.localeCompare(b.ageBand),
  );
}

/**
 * Before/after a campaign: reports per week in its group over the `n` weeks before the campaign's week and
 * the `n` weeks after it (the campaign's own week is in neither); only weeks that have ended count after.
 */
export function beforeAfter(
  campaignWeek: string,
  currentWeek: string,
  n: number,
  weekly: ReadonlyMap<string, number>,
): {
  before: number[];
  after: number[];
  beforeRate: number;
  afterRate: number | null;
  change: number | null;
} {
  const before = Array.from({ length: n }, (_, i) => weekly.get(addWeeks(campaignWeek, i - n)) ?? 0);
  const after: number[] = [];
  for (let i = 1; i <= n; i++) {
    const w = addWeeks(campaignWeek, i);
    if (w >= currentWeek) break;
    after.push(weekly.get(w) ?? 0);
  }
  const beforeRate = before.reduce((s, x) => s + x, 0) / n;
  const afterRate = after.length === 0 ? null : after.reduce((s, x) => s + x, 0) / after.length;
  const change = afterRate === null || beforeRate === 0 ? null : (afterRate - beforeRate) / beforeRate;
  return { before, after, beforeRate, afterRate, change };
}

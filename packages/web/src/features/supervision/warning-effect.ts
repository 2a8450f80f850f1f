import type { FollowUpFigures, WarningEffectiveness } from '@fanzha/contracts';

// The supervisor's figures of warnings (预警成效): pure helpers, tested without the UI.

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** The periods the panel shows, in China time (UTC+8) whatever the browser's zone. */
export type EffectPeriod = 'today' | 'month';

/** The `from` of a period ending now: midnight today or the first of the month, China time. */
export function periodStart(period: EffectPeriod, now: Date): Date {
  const local = new Date(now.getTime() + OFFSET_MS);
  const start =
    period === 'today'
      ? Math.floor(local.getTime() / DAY_MS) * DAY_MS
      : Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1);
  return new Date(start - OFFSET_MS);
}

/** A share as a percentage with one decimal, or a dash when nothing was counted. */
export const formatShare = (share: number | null): string =>
  share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1)}%`;

/** Seconds as `m:ss` (a minute or more) or `n s`; a dash for none. */
export function formatLatency(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "defrauded of checked" at 7 and 30 days, for a table cell: `1/3 (33.3%)`. */
export function defraudedText(f: FollowUpFigures, days: 7 | 30): string {
  const [n, of, share] =
    days === 7
      ? [f.defrauded7, f.checked7, f.defrauded7Share]
      : [f.defrauded30, f.checked30, f.defrauded30Share];
  return of === 0 ? '—' : `${n}/${of} (${formatShare(share)})`;
}

/** Whether the first-contact target is met by the p90 (green), only by the median (amber) or neither. */
export function latencyTone(
  f: WarningEffectiveness['opened']['firstContact'],
): 'good' | 'warn' | 'bad' | null {
  if (f.medianS === null || f.p90S === null) return null;
  if (f.p90S <= f.targetS) return 'good';
  return f.medianS <= f.targetS ? 'warn' : 'bad';
}

import type { StopPaymentView } from '@fanzha/contracts';
import type { LegalState } from '@fanzha/domain';
import { TEXT_COLOURS } from '../ui/colours';

/** How close a deadline is: `over` once it has passed, `urgent` under the last threshold, `soon` under the first. */
export type CountdownLevel = 'calm' | 'soon' | 'urgent' | 'over';

export interface Countdown {
  /** Whole seconds left; negative once overdue. */
  seconds: number;
  /** Whole days, for deadlines further than 48 hours away (a return's 3 working days); else 0. */
  days: number;
  /** "47:59:59" left, or how long ago it passed (after the days, when there are any). */
  clock: string;
  level: CountdownLevel;
}

/** The emergency stop's reminders (6 h, 1 h before the lapse) double as the colour thresholds. */
export const LAPSE_THRESHOLDS = { soonMs: 6 * 3_600_000, urgentMs: 3_600_000 } as const;
/** A county task's accept deadline is 30 minutes: warn at 10, red at 5. */
export const ACCEPT_THRESHOLDS = { soonMs: 10 * 60_000, urgentMs: 5 * 60_000 } as const;
/** A county task's answer deadline is 24 hours: warn at 6 h, red at 1 h. */
export const ANSWER_THRESHOLDS = LAPSE_THRESHOLDS;

const pad = (n: number) => String(n).padStart(2, '0');

/** "47:59:59" — hours are not folded into days: a 48-hour timer reads best in hours. */
export function formatCountdownClock(totalSeconds: number): string {
  const s = Math.abs(Math.trunc(totalSeconds));
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

export function countdownTo(
  deadline: string,
  now: Date,
  thresholds: { soonMs: number; urgentMs: number } = LAPSE_THRESHOLDS,
): Countdown {
  const ms = new Date(deadline).getTime() - now.getTime();
  // Floor for time left, so "0:00:00" is never shown while it is still running, and the lapse shows at once.
  const seconds = ms > 0 ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  const level: CountdownLevel =
    ms <= 0 ? 'over' : ms < thresholds.urgentMs ? 'urgent' : ms < thresholds.soonMs ? 'soon' : 'calm';
  // Up to 48 hours reads best in hours, as the emergency stop's timer; beyond, in days and hours.
  const abs = Math.abs(seconds);
  const days = abs > 48 * 3600 ? Math.floor(abs / 86_400) : 0;
  return { seconds, days, clock: formatCountdownClock(abs - days * 86_400), level };
}

export const COUNTDOWN_COLORS: Record<CountdownLevel, string | undefined> = {
  calm: undefined,
  soon: TEXT_COLOURS.warning,
  urgent: TEXT_COLOURS.danger,
  over: TEXT_COLOURS.danger,
};

/**
 * The legal state as of `now`: the server derives it when it answers, but a page left open must show the
 * lapse exactly at the deadline, not at the next update.
 */
export function legalStateAt(
  r: Pick<StopPaymentView, 'legalState' | 'expiresAt' | 'freeze'>,
  now: Date,
): LegalState {
  if (r.legalState === 'stopped' && r.expiresAt && now.getTime() >= new Date(r.expiresAt).getTime())
    return 'lapsed';
  if (r.legalState === 'frozen' && r.freeze && now.getTime() >= new Date(r.freeze.endsAt).getTime())
    return 'expired';
  return r.legalState;
}

/** Stopped requests still under the 48 hours, the nearest lapse first. */
export function lapsingFirst(requests: readonly StopPaymentView[], now: Date): StopPaymentView[] {
  return requests
    .filter((r) => r.expiresAt !== null && legalStateAt(r, now) === 'stopped')
    .sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''));
}

/** Stops that lapsed within `withinMs` (no freeze, no second stop in time): kept in view, the latest first. */
export function recentlyLapsed(
  requests: readonly StopPaymentView[],
  now: Date,
  withinMs = 24 * 3_600_000,
): StopPaymentView[] {
  return requests
    .filter(
      (r) =>
        r.expiresAt !== null &&
        legalStateAt(r, now) === 'lapsed' &&
        now.getTime() - new Date(r.expiresAt).getTime() < withinMs,
    )
    .sort((a, b) => (b.expiresAt ?? '').localeCompare(a.expiresAt ?? ''));
}

// Did the warning work? (预警成效) Each closed episode is checked twice against later reports about the same
// person: 7 and 30 days after it closed. Pure rules: the checks' times, what a check records, which channel
// an episode counts under, and the shares the supervisor and the wall show.

const DAY_MS = 86_400_000;

/** The two follow-up checks, in days after the episode closed. */
export const followUpDays = [7, 30] as const;

/** The first-contact target: a call or visit within five minutes of the episode opening. */
export const FIRST_CONTACT_TARGET_S = 300;

/** The contact channels, weakest first: an episode counts under the strongest one it reached. */
export const channelStrength = [
  'sms',
  'robot_call',
  'human_call',
  'trusted_contact',
  'carrier_assist',
  'visit',
] as const;
export type FollowUpChannel = (typeof channelStrength)[number];

/** The strongest channel among those an episode used; null for none. */
export function strongestChannel(used: Iterable<string>): FollowUpChannel | null {
  let best = -1;
  for (const c of used) best = Math.max(best, channelStrength.indexOf(c as FollowUpChannel));
  return best < 0 ? null : channelStrength[best]!;
}

export interface FollowUpChecks {
  check7At: Date;
  check30At: Date;
}

/** When the checks of an episode closed at `closedAt` fall due. */
export function followUpChecks(closedAt: Date): FollowUpChecks {
  return {
    check7At: new Date(closedAt.getTime() + followUpDays[0] * DAY_MS),
    check30At: new Date(closedAt.getTime() + followUpDays[1] * DAY_MS),
  };
}

/** What a follow-up row holds of its checks. */
export interface FollowUpState {
  openedAt: Date;
  check7At: Date;
  check30At: Date;
  defrauded7: boolean | null;
  defrauded30: boolean | null;
}

export interface FollowUpResult {
  defrauded7: boolean | null;
  defrauded30: boolean | null;
  /** The next check's time; null once both are recorded. */
  nextCheckAt: Date | null;
}

/**
 * What a check at `now` records, given the times of the person's reports filed since the episode opened
 * (any number, any order). Each check records its own window, so a check run late (both due at once)
 * still says no at 7 days for a report filed on day 10.
 */
export function applyFollowUp(s: FollowUpState, now: Date, reportTimes: readonly Date[]): FollowUpResult {
  const within = (until: Date) => reportTimes.some((t) => t >= s.openedAt && t <= until);
  const defrauded7 = s.defrauded7 ?? (now >= s.check7At ? within(s.check7At) : null);
  const defrauded30 = s.defrauded30 ?? (now >= s.check30At ? within(s.check30At) : null);
  return {
    defrauded7,
    defrauded30,
    nextCheckAt: defrauded7 === null ? s.check7At : defrauded30 === null ? s.check30At : null,
  };
}

/** A share rounded to three places; null when nothing was counted. */
export const shareOf = (n: number, of: number): number | null =>
  of > 0 ? Math.round((n / of) * 1000) / 1000 : null;

/** Counts of one group of closed episodes (a channel, a source, or all). */
export interface FollowUpCounts {
  closed: number;
  notFraud: number;
  checked7: number;
  defrauded7: number;
  checked30: number;
  defrauded30: number;
}

export interface FollowUpShares {
  /** Defrauded within 7 / 30 days among the episodes checked at 7 / 30 days. */
  defrauded7Share: number | null;
  defrauded30Share: number | null;
  /** A source's precision: its closed episodes that were not found `not_fraud`. */
  precision: number | null;
}

export function followUpShares(c: FollowUpCounts): FollowUpShares {
  return {
    defrauded7Share: shareOf(c.defrauded7, c.checked7),
    defrauded30Share: shareOf(c.defrauded30, c.checked30),
    precision: shareOf(c.closed - c.notFraud, c.closed),
  };
}

/**
 * Refused sign-ins are recorded in the audit trail by bursts, not one entry per attempt: someone (or a
 * robot) repeating a refused sign-in would otherwise write an entry for every try. A burst gathers the
 * refusals of one kind (the same client address, step and reason, whatever usernames were typed): the
 * first is written at once, so an auditor sees a burst start when it starts; the others are only counted,
 * and when the burst ends one more entry gives the whole count and the usernames tried (the first
 * `maxUsernames` of them, each with its count). So an address spraying many usernames writes two entries,
 * not two per username. A burst ends after `quietMs` without a refusal, or `maxMs` after it began however
 * busy it is, so a flood that never pauses is still reported every `maxMs`.
 */
export const refusalBursts = {
  quietMs: 60_000,
  maxMs: 15 * 60_000,
  maxUsernames: 20,
};

/** The usernames a burst has counted, each with its refusals, and the refusals under usernames not listed. */
export interface BurstUsernames {
  usernames: Readonly<Record<string, number>>;
  unlistedCount: number;
}

/** Counts one more refusal for `username`: listed while fewer than `maxUsernames` are, otherwise unlisted. */
export function countUsername(burst: BurstUsernames, username: string): BurstUsernames {
  const known = Object.hasOwn(burst.usernames, username);
  if (!known && Object.keys(burst.usernames).length >= refusalBursts.maxUsernames)
    return { usernames: burst.usernames, unlistedCount: burst.unlistedCount + 1 };
  return {
    usernames: { ...burst.usernames, [username]: (known ? burst.usernames[username]! : 0) + 1 },
    unlistedCount: burst.unlistedCount,
  };
}

/** Whether a burst that began at `firstAt` and was last added to at `lastAt` is still open at `now`. */
export function isBurstOpen(burst: { firstAt: Date; lastAt: Date }, now: Date): boolean {
  return (
    now.getTime() - burst.lastAt.getTime() < refusalBursts.quietMs &&
    now.getTime() - burst.firstAt.getTime() < refusalBursts.maxMs
  );
}

/** The moments before which a burst has ended at `now`: its last refusal, or its beginning. */
export function burstEndedBefore(now: Date): { lastAt: Date; firstAt: Date } {
  return {
    lastAt: new Date(now.getTime() - refusalBursts.quietMs),
    firstAt: new Date(now.getTime() - refusalBursts.maxMs),
  };
}

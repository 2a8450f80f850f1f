import type { FieldProblem } from '@fanzha/contracts';

/** A sending system's clock may run a little ahead of ours, or behind; more than this is a mistake, not skew. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A moment another system reports (a call answered, money moved, a bank's action) cannot be ahead of now,
 * beyond clock skew: a wrong clock or time zone in the sender.
 */
export function inFutureProblems(field: string, at: Date, now: Date): FieldProblem[] {
  return at.getTime() > now.getTime() + CLOCK_SKEW_MS
    ? [{ field, reason: 'in_future', message: 'must not be later than now' }]
    : [];
}

/** What the session watch does now, from when the session ends and whether the page is being watched. */
export type SessionPlan = 'ok' | 'keep-alive' | 'warn-idle' | 'warn-end' | 'ended';

export interface SessionClock {
  /** Milliseconds, in this browser's clock. */
  idleExpiresAt: number;
  expiresAt: number;
  idleMs: number;
}

/** How long before the end a warning shows: two minutes, or half a short idle limit. */
export const warnLeadMs = (idleMs: number) => Math.min(120_000, idleMs / 2);

/**
 * A console that is being watched (visible, its live stream connected) is kept alive once half its idle
 * time is gone; anything else is warned before the idle limit. The absolute limit is never extended:
 * it is warned of and then ends the session.
 */
export function sessionPlan(clock: SessionClock, now: number, isWatching: boolean): SessionPlan {
  const idleLeft = clock.idleExpiresAt - now;
  const absoluteLeft = clock.expiresAt - now;
  if (idleLeft <= 0 || absoluteLeft <= 0) return 'ended';
  const lead = warnLeadMs(clock.idleMs);
  // Ends by the absolute limit before the idle one could be extended: nothing to keep alive.
  if (absoluteLeft <= Math.max(lead, idleLeft)) return absoluteLeft <= lead ? 'warn-end' : 'ok';
  if (isWatching && idleLeft <= clock.idleMs / 2) return 'keep-alive';
  return idleLeft <= lead ? 'warn-idle' : 'ok';
}

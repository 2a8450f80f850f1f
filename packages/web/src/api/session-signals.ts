/** When the server says the session ends, read off each answer (see the `x-session-*` headers). */
export interface SessionTimes {
  idleExpiresAt: number;
  expiresAt: number;
}

type TimesListener = (times: SessionTimes) => void;
type RefusedListener = (path: string) => void;

const timesListeners = new Set<TimesListener>();
const refusedListeners = new Set<RefusedListener>();

/** Calls where a 401 answers the call itself (wrong password or code), not a lost session. */
const AUTH_FLOW = ['/api/auth/sign-in', '/api/auth/verify', '/api/auth/sign-out'];

/**
 * What every API answer says about the session, for those who watch it: the session guard (a 401 on
 * any call, also those made outside the query cache such as the intake autosave) and the expiry warning.
 */
export const sessionSignals = {
  onTimes(listener: TimesListener): () => void {
    timesListeners.add(listener);
    return () => timesListeners.delete(listener);
  },
  onRefused(listener: RefusedListener): () => void {
    refusedListeners.add(listener);
    return () => refusedListeners.delete(listener);
  },
  /** From the API client, for each answer. */
  observe(path: string, response: Pick<Response, 'status' | 'headers'>): void {
    if (response.status === 401) {
      if (!AUTH_FLOW.some((p) => path.startsWith(p))) for (const l of refusedListeners) l(path);
      return;
    }
    const idle = Date.parse(response.headers.get('x-session-idle-expires-at') ?? '');
    const absolute = Date.parse(response.headers.get('x-session-expires-at') ?? '');
    if (!Number.isFinite(idle) || !Number.isFinite(absolute)) return;
    // In this browser's clock: the server's own clock may differ, and its Date header says by how much.
    const serverNow = Date.parse(response.headers.get('date') ?? '');
    const skew = Number.isFinite(serverNow) ? Date.now() - serverNow : 0;
    // The Date header has whole seconds: a skew under two seconds is rounding, not a wrong clock.
    const offset = Math.abs(skew) < 2_000 ? 0 : skew;
    const times = { idleExpiresAt: idle + offset, expiresAt: absolute + offset };
    for (const l of timesListeners) l(times);
  },
};

import type { Me, SessionInfo } from '@fanzha/contracts';

/** Why nobody is signed in: never was (or unknown), the session ran out, or the user signed out. */
export type SignedOutReason = 'none' | 'expired' | 'signed-out';

export type SessionState =
  { status: 'signed-in'; session: SessionInfo } | { status: 'signed-out'; reason: SignedOutReason };

/** The session lives in the query cache under its endpoint, like every other piece of server state. */
export const SESSION_KEY = ['/api/auth/session'] as const;

export function isSessionKey(key: readonly unknown[]): boolean {
  return key.length === SESSION_KEY.length && key[0] === SESSION_KEY[0];
}

/**
 * The state after the server said 401. A session we had is now expired (the user is told so); one we
 * never had stays plainly signed out; an explicit sign-out keeps its reason.
 */
export function signedOutAfter(previous: SessionState | undefined): SessionState {
  if (previous?.status === 'signed-in') return { status: 'signed-out', reason: 'expired' };
  return previous ?? { status: 'signed-out', reason: 'none' };
}

export const SIGN_IN_PATH = '/sign-in';

/**
 * Where to go after signing in, from `?next=`. Only a path of this app: anything that could lead to
 * another origin (`//evil.example`, `https://…`, `/\evil`) or back to the sign-in page becomes home.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === SIGN_IN_PATH || next.startsWith(`${SIGN_IN_PATH}?`) || next.startsWith(`${SIGN_IN_PATH}/`))
    return '/';
  return next;
}

/**
 * The sign-in page's address that returns to `from` and says why the user is there. After an explicit
 * sign-out there is no way back: whoever signs in next may be someone else.
 */
export function signInPath(from: string, reason: SignedOutReason = 'none'): string {
  const params = new URLSearchParams();
  const next = reason === 'signed-out' ? '/' : safeNext(from);
  if (next !== '/') params.set('next', next);
  if (reason !== 'none') params.set('reason', reason);
  const query = params.toString();
  return query ? `${SIGN_IN_PATH}?${query}` : SIGN_IN_PATH;
}

export function readSignedOutReason(value: string | null): SignedOutReason {
  return value === 'expired' || value === 'signed-out' ? value : 'none';
}

export function canOpen(me: Pick<Me, 'consoles'>, console: string): boolean {
  return (me.consoles as readonly string[]).includes(console);
}

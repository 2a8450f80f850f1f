import { ApiError } from '../../api';
import type { MessageKey } from '../../i18n';

export type SignInStep = 'credentials' | 'code';

export interface SignInProblem {
  key: MessageKey;
  /** The server's own words, where they add something (how long a lock-out lasts). */
  detail?: string;
  /** The challenge is gone: back to username and password. */
  mustRestart?: boolean;
}

/**
 * What to tell the user after a failed step. The server answers 401 for a wrong password whether or
 * not the user exists, and for a wrong code as for an expired challenge; the challenge's own expiry
 * time tells the last two apart.
 */
export function signInProblem(
  step: SignInStep,
  error: unknown,
  now: number,
  challengeExpiresAt?: string,
): SignInProblem {
  if (!(error instanceof ApiError)) return { key: 'signIn.error.unknown' };
  if (error.status === 429) return { key: 'signIn.error.rateLimited', detail: error.message };
  if (error.status === 0) return { key: 'signIn.error.network' };
  if (error.status === 401) {
    if (step === 'credentials') return { key: 'signIn.error.credentials' };
    const expiresAt = challengeExpiresAt ? Date.parse(challengeExpiresAt) : Number.NaN;
    if (now >= expiresAt) return { key: 'signIn.error.challengeExpired', mustRestart: true };
    return { key: 'signIn.error.code' };
  }
  const requestId = error.requestId ? ` (${error.requestId})` : '';
  return { key: 'signIn.error.unknown', detail: `${error.message}${requestId}` };
}

/** The password was right but one-time (reset by an admin): a new one must come with it. */
export function isPasswordChangeRequired(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 400 &&
    Array.isArray(error.details) &&
    error.details.some(
      (d: unknown) =>
        typeof d === 'object' && d !== null && 'reason' in d && d.reason === 'password_change_required',
    )
  );
}

/** The server's reasons against a new password, for the new-password field; empty if there are none. */
export function newPasswordReasons(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.status !== 400 || !Array.isArray(error.details)) return [];
  return error.details.flatMap((d: unknown) =>
    typeof d === 'object' &&
    d !== null &&
    'field' in d &&
    d.field === 'body.newPassword' &&
    'reason' in d &&
    typeof d.reason === 'string' &&
    d.reason !== 'password_change_required'
      ? [d.reason]
      : [],
  );
}

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api';
import { isPasswordChangeRequired, newPasswordReasons, signInProblem } from './sign-in-problem';

const error = (status: number, code: string, message = 'm', requestId = 'req-1') =>
  new ApiError({ status, code, message, requestId });
const now = Date.parse('2025-01-01T00:00:00Z');

describe('signInProblem', () => {
  it('says "wrong username or password" for a 401 on the first step', () => {
    expect(signInProblem('credentials', error(401, 'unauthenticated'), now)).toEqual({
      key: 'signIn.error.credentials',
    });
  });

  it('tells a wrong code from an expired challenge by the challenge expiry', () => {
    const live = '2025-01-01T00:04:00Z';
    const gone = '2024-12-31T23:59:00Z';
    expect(signInProblem('code', error(401, 'unauthenticated'), now, live)).toEqual({
      key: 'signIn.error.code',
    });
    expect(signInProblem('code', error(401, 'unauthenticated'), now, gone)).toEqual({
      key: 'signIn.error.challengeExpired',
      mustRestart: true,
    });
  });

  it('passes on the lock-out message of a 429', () => {
    expect(signInProblem('credentials', error(429, 'rate_limited', 'try again in 15 minutes'), now)).toEqual({
      key: 'signIn.error.rateLimited',
      detail: 'try again in 15 minutes',
    });
  });

  it('names network trouble and anything else with its request id', () => {
    expect(signInProblem('code', error(0, 'network_error'), now).key).toBe('signIn.error.network');
    expect(signInProblem('credentials', error(500, 'internal', 'boom'), now)).toEqual({
      key: 'signIn.error.unknown',
      detail: 'boom (req-1)',
    });
    expect(signInProblem('credentials', new Error('x'), now)).toEqual({ key: 'signIn.error.unknown' });
  });
});

describe('one-time passwords', () => {
  const refused = (details: unknown) =>
    new ApiError({ status: 400, code: 'validation_failed', message: 'm', requestId: 'r', details });

  it('knows a one-time password by the reason on newPassword', () => {
    const required = refused([
      { field: 'body.newPassword', reason: 'password_change_required', message: 'm' },
    ]);
    expect(isPasswordChangeRequired(required)).toBe(true);
    expect(newPasswordReasons(required)).toEqual([]);
    expect(isPasswordChangeRequired(error(401, 'unauthenticated'))).toBe(false);
  });

  it("lists the server's reasons against the new password", () => {
    const weak = refused([
      { field: 'body.newPassword', reason: 'weak_password', message: 'm' },
      { field: 'body.newPassword', reason: 'same_password', message: 'm' },
      { field: 'body.username', reason: 'too_small', message: 'm' },
    ]);
    expect(newPasswordReasons(weak)).toEqual(['weak_password', 'same_password']);
    expect(isPasswordChangeRequired(weak)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { createQueryClient, endSession, shouldRetry } from './query-client';
import { SESSION_KEY, type SessionState } from './session-state';

const unauthenticated = () =>
  new ApiError({ status: 401, code: 'unauthenticated', message: 'no session', requestId: 'r1' });

const signedIn: SessionState = {
  status: 'signed-in',
  session: {
    user: {
      id: 'u1',
      username: 'admin',
      displayName: '管理员',
      role: 'admin',
      bankCode: null,
      operatorCode: null,
      countyCode: null,
      consoles: ['admin'],
      isDemo: false,
    },
    idleExpiresAt: '2025-01-01T00:30:00Z',
    expiresAt: '2025-01-01T08:00:00Z',
    idleMinutes: 30,
  },
};

describe('shouldRetry', () => {
  it('retries network trouble and server errors twice, client errors never', () => {
    const down = new ApiError({ status: 0, code: 'network_error', message: 'down' });
    expect(shouldRetry(0, down)).toBe(true);
    expect(shouldRetry(2, down)).toBe(false);
    expect(shouldRetry(0, new ApiError({ status: 503, code: 'unavailable', message: 'x' }))).toBe(true);
    expect(shouldRetry(0, unauthenticated())).toBe(false);
    expect(shouldRetry(0, new ApiError({ status: 429, code: 'rate_limited', message: 'x' }))).toBe(false);
  });
});

describe('401 handling', () => {
  it('clears the cache and marks the session expired when any query gets a 401', async () => {
    const client = createQueryClient();
    client.setQueryData(SESSION_KEY, signedIn);
    client.setQueryData(['/api/users'], { users: [] });

    await client
      .fetchQuery({ queryKey: ['/api/audit'], queryFn: () => Promise.reject(unauthenticated()) })
      .catch(() => undefined);

    expect(client.getQueryData(SESSION_KEY)).toEqual({ status: 'signed-out', reason: 'expired' });
    expect(client.getQueryData(['/api/users'])).toBeUndefined();
  });

  it('leaves a sign-in mutation 401 (wrong password) to the form', async () => {
    const client = createQueryClient();
    client.setQueryData(SESSION_KEY, signedIn);
    const mutation = client.getMutationCache().build(client, {
      mutationFn: () => Promise.reject(unauthenticated()),
      meta: { isAuthFlow: true },
    });
    await mutation.execute(undefined).catch(() => undefined);
    expect(client.getQueryData(SESSION_KEY)).toBe(signedIn);
  });

  it('treats a 401 from any other mutation as a lost session', async () => {
    const client = createQueryClient();
    client.setQueryData(SESSION_KEY, signedIn);
    const mutation = client.getMutationCache().build(client, {
      mutationFn: () => Promise.reject(unauthenticated()),
    });
    await mutation.execute(undefined).catch(() => undefined);
    expect(client.getQueryData(SESSION_KEY)).toEqual({ status: 'signed-out', reason: 'expired' });
  });

  it('endSession records an explicit sign-out', () => {
    const client = createQueryClient();
    client.setQueryData(SESSION_KEY, signedIn);
    client.setQueryData(['/api/users'], { users: [] });
    endSession(client, 'signed-out');
    expect(client.getQueryData(SESSION_KEY)).toEqual({ status: 'signed-out', reason: 'signed-out' });
    expect(client.getQueryData(['/api/users'])).toBeUndefined();
  });
});

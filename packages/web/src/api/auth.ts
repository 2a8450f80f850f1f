import type { SessionInfo, SignInRequest, SignInResponse, VerifyTotpRequest } from '@fanzha/contracts';
import { ApiError } from '@fanzha/contracts/client';
import { api } from './client';

export function signIn(body: SignInRequest): Promise<SignInResponse> {
  return api.POST('/api/auth/sign-in', { body });
}

export function verifyTotp(body: VerifyTotpRequest): Promise<SessionInfo> {
  return api.POST('/api/auth/verify', { body });
}

export function getSession(signal?: AbortSignal): Promise<SessionInfo> {
  return api.GET('/api/auth/session', signal ? { signal } : {});
}

export async function signOut(): Promise<void> {
  await api.POST('/api/auth/sign-out', { body: {} });
}

/** A 401: no session, an expired one, or (on the sign-in calls) wrong credentials. */
export function isUnauthenticated(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 401;
}

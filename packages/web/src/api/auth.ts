import type { SessionInfo, SignInRequest, SignInResponse, VerifyTotpRequest } from '@fanzha/contracts';
import { ApiError } from './api-error';
import { api } from './client';

export function signIn(body: SignInRequest): Promise<SignInResponse> {
  return api.post<SignInResponse>('/api/auth/sign-in', body);
}

export function verifyTotp(body: VerifyTotpRequest): Promise<SessionInfo> {
  return api.post<SessionInfo>('/api/auth/verify', body);
}

export function getSession(signal?: AbortSignal): Promise<SessionInfo> {
  return api.get<SessionInfo>('/api/auth/session', signal ? { signal } : {});
}

export async function signOut(): Promise<void> {
  await api.post<undefined>('/api/auth/sign-out', {});
}

/** A 401: no session, an expired one, or (on the sign-in calls) wrong credentials. */
export function isUnauthenticated(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 401;
}

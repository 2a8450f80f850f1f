export {
  ApiError,
  isApiErrorBody,
  type ApiErrorBody,
  type ApiErrorCode,
  type ClientErrorCode,
} from './api-error';
export { getSession, isUnauthenticated, signIn, signOut, verifyTotp } from './auth';
export { api, createApiClient, isAbortError, type ApiClient, type RequestOptions } from './client';
export { getHealth, type Health } from './health';
export { sessionSignals, type SessionTimes } from './session-signals';

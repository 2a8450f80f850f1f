export {
  ApiError,
  isAbortError,
  isApiErrorBody,
  type ApiClient,
  type ApiErrorBody,
  type ApiErrorCode,
  type ClientErrorCode,
} from '@fanzha/contracts/client';
export { getSession, isUnauthenticated, signIn, signOut, verifyTotp } from './auth';
export { api } from './client';
export { getHealth, type Health } from './health';
export { sessionSignals, type SessionTimes } from './session-signals';

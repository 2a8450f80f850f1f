export { createQueryClient, endSession } from './query-client';
export { RequireConsole, RequireRole } from './require-console';
export { RequireSession } from './require-session';
export { scopeLabel, type ScopeNames } from './scope-label';
export {
  SESSION_KEY,
  SIGN_IN_PATH,
  canOpen,
  readSignedOutReason,
  safeNext,
  signInPath,
  type SessionState,
  type SignedOutReason,
} from './session-state';
export { useMe, useSession, useSignOut, useStartSession } from './use-session';
export { SessionWatch } from './session-watch';

import type { AuthDeps } from './auth-deps';
import { createSessionsService } from './sessions.service';
import { createSignInRefusals } from './sign-in-refusals.service';
import { createSignInService } from './sign-in.service';

export type { AuthDeps, ClientInfo } from './auth-deps';
export { signInRules, WALL_SESSION_MAX_MS } from './sign-in.service';

/** Sign-in (two steps), sessions, and the bursts of refused sign-ins: one service for the routes. */
export function createAuthService(deps: AuthDeps) {
  const refusals = createSignInRefusals({ db: deps.db, clock: deps.clock });
  return {
    ...createSignInService({ ...deps, refusals }),
    ...createSessionsService(deps),
    closeEndedBursts: () => refusals.closeEndedBursts(),
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

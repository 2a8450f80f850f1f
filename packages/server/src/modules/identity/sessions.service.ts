import type { SessionInfo } from '@fanzha/contracts';
import type { Operator, Role } from '@fanzha/domain';
import type { Actor } from '../../platform/actor';
import { tokenHash } from '../../platform/crypto/tokens';
import { AppError } from '../../platform/http/errors';
import { appendAudit, auditEntry } from '../audit/index';
import { isBankKeyActive } from '../integrations/index';
import type { AuthDeps, ClientInfo } from './auth-deps';
import {
  findSessionStanding,
  findSessionWithUser,
  pruneChallengesAndSessions,
  revokeSession,
  touchSession,
} from './sessions.repository';
import { signInRules } from './sign-in.service';
import { pruneSignInLimits } from './sign-in.repository';
import { findUserById, toMe } from './users.repository';

/** Sessions after sign-in: who a token stands for, whether it still stands, signing out, housekeeping. */
export function createSessionsService(deps: AuthDeps) {
  const { db, clock } = deps;
  return {
    /** The actor behind a session token, extending its idle time; undefined when there is none. */
    async authenticate(token: string): Promise<Actor | undefined> {
      const now = clock.now();
      const idHash = tokenHash(token);
      const row = await findSessionWithUser(db, idHash);
      if (!row || row.revoked_at || row.is_disabled || row.idle_expires_at <= now || row.expires_at <= now)
        return undefined;
      let idleExpiresAt = row.idle_expires_at;
      // At most once a minute — or a quarter of a short idle limit, which a minute would outlast.
      const touchEveryMs = Math.min(signInRules.touchEveryMs, deps.sessionIdleMs / 4);
      if (now.getTime() - row.last_seen_at.getTime() >= touchEveryMs) {
        idleExpiresAt = new Date(Math.min(now.getTime() + deps.sessionIdleMs, row.expires_at.getTime()));
        await touchSession(db, idHash, now, idleExpiresAt);
      }
      return {
        userId: row.id,
        username: row.username,
        displayName: row.display_name,
        role: row.role as Role,
        bankCode: row.bank_code,
        operatorCode: row.operator_code as Operator | null,
        countyCode: row.county_code,
        isDemo: row.is_demo,
        sessionIdHash: idHash,
        idleExpiresAt,
        expiresAt: row.expires_at,
      };
    },

    /** Whether the session (or bank key) behind an actor still stands: long-lived streams ask this. */
    async isStillValid(actor: Actor): Promise<boolean> {
      const now = clock.now();
      if (actor.sessionIdHash === '') return isBankKeyActive(db, actor.userId);
      const row = await findSessionStanding(db, actor.sessionIdHash);
      return (
        !!row && !row.revoked_at && !row.is_disabled && row.expires_at > now && row.idle_expires_at > now
      );
    },

    async sessionInfo(actor: Actor): Promise<SessionInfo> {
      const user = await findUserById(db, actor.userId);
      if (!user) throw new AppError('unauthenticated', 'Sign-in required');
      return {
        user: toMe(user),
        idleExpiresAt: actor.idleExpiresAt.toISOString(),
        expiresAt: actor.expiresAt.toISOString(),
        idleMinutes: deps.sessionIdleMs / 60_000,
      };
    },

    async signOut(actor: Actor, client: ClientInfo): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await revokeSession(trx, actor.sessionIdHash, clock.now());
        await appendAudit(
          trx,
          auditEntry(
            { at: clock.now(), requestId: client.requestId, actor, clientAddress: client.ip },
            { action: 'auth.sign_out', result: 'success' },
          ),
        );
      });
    },

    /** Removes what can no longer be used (expired challenges, sessions past their end, ended limits). */
    async prune(): Promise<void> {
      const now = clock.now();
      await pruneChallengesAndSessions(db, now);
      await pruneSignInLimits(db, now);
    },
  };
}

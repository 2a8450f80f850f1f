import type { SessionInfo, SignInResponse } from '@fanzha/contracts';
import type { Clock, Operator, Role } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { newToken, tokenHash } from '../../platform/crypto/tokens';
import { matchTotp, newTotpSecret, otpauthUrl } from '../../platform/crypto/totp';
import { AppError, rateLimited } from '../../platform/http/errors';
import { appendAudit } from '../audit/index';
import { auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { newPasswordHash } from './one-time-password';
import { verifyPassword } from './password';
import { addressKey, clearPair, lockedUntil, pruneSignInLimits, recordFailure } from './sign-in-limits';
import { findUserById, findUserByUsername, toMe, type UserRow } from './users.repository';

export const signInRules = {
  challengeMs: 5 * 60_000,
  challengeAttempts: 5,
  /** Sessions are touched at most this often, so reads do not each cost a write. */
  touchEveryMs: 60_000,
};

const WRONG_CREDENTIALS = 'Wrong username or password';

export interface AuthDeps {
  db: Kysely<DB>;
  clock: Clock;
  secretBox: SecretBox;
  sessionIdleMs: number;
  sessionMaxMs: number;
}

export interface ClientInfo {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Sign-in in two steps — password, then a TOTP code — and sessions. A password alone never opens a
 * session. Failures are counted per typed username and client address (`sign-in-limits.ts`) and
 * answered identically whether or not the user exists; each TOTP code works once.
 */
/** How long a `wall` role's session may last (its idle limit still applies; the wall refreshes each minute). */
export const WALL_SESSION_MAX_MS = 30 * 24 * 3_600_000;

export function createAuthService(deps: AuthDeps) {
  const { db, clock, secretBox } = deps;
  const ctxOf = (client: ClientInfo, user?: UserRow): AuditContext => ({
    at: clock.now(),
    requestId: client.requestId,
    actor: user ? { userId: user.id, username: user.username, role: user.role as Role } : null,
    clientAddress: client.ip,
  });

  return {
    /**
     * First step. A one-time password (an admin's reset) is accepted only with `newPassword`, which
     * replaces it before the second factor; without it the answer names the missing field and nothing
     * changes.
     */
    async signIn(
      usernameInput: string,
      password: string,
      client: ClientInfo,
      newPassword?: string,
    ): Promise<SignInResponse> {
      const now = clock.now();
      const username = usernameInput.trim().toLowerCase();
      const address = addressKey(client.ip);
      const until = await lockedUntil(db, username, address, now);
      if (until) {
        await appendAudit(
          db,
          auditEntry(ctxOf(client), {
            action: 'auth.sign_in',
            result: 'denied',
            details: { username, reason: 'locked' },
          }),
        );
        const waitS = (until.getTime() - now.getTime()) / 1000;
        throw rateLimited(`Too many failed sign-ins; try again in ${Math.ceil(waitS / 60)} minute(s)`, waitS);
      }
      const user = await findUserByUsername(db, username);
      const isRight = await verifyPassword(user?.password_hash, password);
      if (!user || !isRight || user.is_disabled) {
        await recordFailure(db, username, address, now);
        const reason = !user ? 'unknown_user' : user.is_disabled ? 'disabled' : 'wrong_password';
        await appendAudit(
          db,
          auditEntry(ctxOf(client, user), {
            action: 'auth.sign_in',
            result: 'failure',
            details: { username, reason },
          }),
        );
        throw new AppError('unauthenticated', WRONG_CREDENTIALS);
      }
      const newHash = await newPasswordHash(user, password, newPassword);
      const challenge = newToken();
      const expiresAt = new Date(now.getTime() + signInRules.challengeMs);
      const isEnrolment = user.totp_secret_enc === null;
      const pending = isEnrolment ? newTotpSecret() : undefined;
      await db.transaction().execute(async (trx) => {
        await clearPair(trx, username, address);
        if (newHash) {
          await trx
            .updateTable('app_user')
            .set({ password_hash: newHash, must_change_password: false })
            .where('id', '=', user.id)
            .execute();
          await appendAudit(
            trx,
            auditEntry(ctxOf(client, user), {
              action: 'user.change_password',
              objectType: 'user',
              objectId: user.id,
              result: 'success',
              details: { username: user.username, reason: 'one_time_password' },
            }),
          );
        }
        if (pending)
          await trx
            .updateTable('app_user')
            .set({ totp_pending_enc: secretBox.seal(pending) })
            .where('id', '=', user.id)
            .execute();
        await trx
          .insertInto('auth_challenge')
          .values({
            id_hash: tokenHash(challenge),
            user_id: user.id,
            kind: isEnrolment ? 'enrol_totp' : 'totp',
            created_at: now,
            expires_at: expiresAt,
          })
          .execute();
        await appendAudit(
          trx,
          auditEntry(ctxOf(client, user), {
            action: 'auth.password',
            objectType: 'user',
            objectId: user.id,
            result: 'success',
          }),
        );
      });
      return {
        challengeId: challenge,
        next: isEnrolment ? 'enrol_totp' : 'totp',
        ...(pending
          ? { enrolment: { secret: pending, otpauthUrl: otpauthUrl(pending, user.username) } }
          : {}),
        expiresAt: expiresAt.toISOString(),
      };
    },

    /** Second step: a fresh TOTP code for the challenge. Returns the new session's token and info. */
    async verifyTotp(
      challengeId: string,
      code: string,
      client: ClientInfo,
    ): Promise<{ token: string; session: SessionInfo }> {
      const now = clock.now();
      const idHash = tokenHash(challengeId);
      const challenge = await db
        .selectFrom('auth_challenge')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      const user = challenge ? await findUserById(db, challenge.user_id) : undefined;
      if (
        !challenge ||
        !user ||
        challenge.used_at ||
        challenge.expires_at <= now ||
        challenge.attempts >= signInRules.challengeAttempts ||
        user.is_disabled
      ) {
        await appendAudit(
          db,
          auditEntry(ctxOf(client, user), {
            action: 'auth.totp',
            result: 'failure',
            details: { reason: 'challenge_invalid' },
          }),
        );
        throw new AppError('unauthenticated', 'This sign-in has expired; enter your password again');
      }
      const sealed = challenge.kind === 'enrol_totp' ? user.totp_pending_enc : user.totp_secret_enc;
      const step = sealed ? matchTotp(secretBox.open(sealed), code, now) : undefined;
      const token = newToken();
      const idleExpiresAt = new Date(now.getTime() + deps.sessionIdleMs);
      // A wall display is read-only and shows no personal data; it runs for weeks in the centre's room.
      const maxMs =
        user.role === 'wall' ? Math.max(deps.sessionMaxMs, WALL_SESSION_MAX_MS) : deps.sessionMaxMs;
      const expiresAt = new Date(now.getTime() + maxMs);
      const outcome = await db.transaction().execute(async (trx) => {
        // Single use: the step must be newer than the last one used, checked and set in one statement.
        const claimed =
          step === undefined
            ? undefined
            : await trx
                .updateTable('app_user')
                .set({
                  totp_last_step: step,
                  last_sign_in_at: now,
                  ...(challenge.kind === 'enrol_totp'
                    ? { totp_secret_enc: sealed, totp_pending_enc: null }
                    : {}),
                })
                .where('id', '=', user.id)
                .where('totp_last_step', '<', step)
                .returningAll()
                .executeTakeFirst();
        if (!claimed) {
          await trx
            .updateTable('auth_challenge')
            .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
            .where('id_hash', '=', idHash)
            .execute();
          const reason = step === undefined ? 'wrong_code' : 'replayed_code';
          await appendAudit(
            trx,
            auditEntry(ctxOf(client, user), {
              action: 'auth.totp',
              objectType: 'user',
              objectId: user.id,
              result: 'failure',
              details: { reason },
            }),
          );
          return undefined;
        }
        await trx.updateTable('auth_challenge').set({ used_at: now }).where('id_hash', '=', idHash).execute();
        await trx
          .insertInto('session')
          .values({
            id_hash: tokenHash(token),
            user_id: user.id,
            created_at: now,
            last_seen_at: now,
            idle_expires_at: idleExpiresAt,
            expires_at: expiresAt,
            client_ip: client.ip,
            user_agent: client.userAgent?.slice(0, 300) ?? null,
          })
          .execute();
        const ctx = ctxOf(client, user);
        if (challenge.kind === 'enrol_totp')
          await appendAudit(
            trx,
            auditEntry(ctx, {
              action: 'auth.totp_enrol',
              objectType: 'user',
              objectId: user.id,
              result: 'success',
            }),
          );
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'auth.sign_in',
            objectType: 'user',
            objectId: user.id,
            result: 'success',
          }),
        );
        return claimed;
      });
      if (!outcome) throw new AppError('unauthenticated', 'Wrong or already used code');
      return {
        token,
        session: {
          user: toMe(outcome),
          idleExpiresAt: idleExpiresAt.toISOString(),
          expiresAt: expiresAt.toISOString(),
          idleMinutes: deps.sessionIdleMs / 60_000,
        },
      };
    },

    /** The actor behind a session token, extending its idle time; undefined when there is none. */
    async authenticate(token: string): Promise<Actor | undefined> {
      const now = clock.now();
      const idHash = tokenHash(token);
      const row = await db
        .selectFrom('session')
        .innerJoin('app_user', 'app_user.id', 'session.user_id')
        .selectAll('app_user')
        .select([
          'session.last_seen_at',
          'session.idle_expires_at',
          'session.expires_at',
          'session.revoked_at',
        ])
        .where('session.id_hash', '=', idHash)
        .executeTakeFirst();
      if (!row || row.revoked_at || row.is_disabled || row.idle_expires_at <= now || row.expires_at <= now)
        return undefined;
      let idleExpiresAt = row.idle_expires_at;
      // At most once a minute — or a quarter of a short idle limit, which a minute would outlast.
      const touchEveryMs = Math.min(signInRules.touchEveryMs, deps.sessionIdleMs / 4);
      if (now.getTime() - row.last_seen_at.getTime() >= touchEveryMs) {
        idleExpiresAt = new Date(Math.min(now.getTime() + deps.sessionIdleMs, row.expires_at.getTime()));
        await db
          .updateTable('session')
          .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
          .where('id_hash', '=', idHash)
          .execute();
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
      if (actor.sessionIdHash === '') {
        const key = await db
          .selectFrom('api_key')
          .select('revoked_at')
          .where('id', '=', actor.userId)
          .executeTakeFirst();
        return !!key && key.revoked_at === null;
      }
      const row = await db
        .selectFrom('session')
        .innerJoin('app_user', 'app_user.id', 'session.user_id')
        .select([
          'session.revoked_at',
          'session.idle_expires_at',
          'session.expires_at',
          'app_user.is_disabled',
        ])
        .where('session.id_hash', '=', actor.sessionIdHash)
        .executeTakeFirst();
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
        await trx
          .updateTable('session')
          .set({ revoked_at: clock.now() })
          .where('id_hash', '=', actor.sessionIdHash)
          .execute();
        await appendAudit(
          trx,
          auditEntry(
            { at: clock.now(), requestId: client.requestId, actor, clientAddress: client.ip },
            { action: 'auth.sign_out', result: 'success' },
          ),
        );
      });
    },

    /** Removes what can no longer be used (expired challenges and sessions past their end). */
    async prune(): Promise<void> {
      const now = clock.now();
      await db.deleteFrom('auth_challenge').where('expires_at', '<', now).execute();
      await pruneSignInLimits(db, now);
      await db
        .deleteFrom('session')
        .where(sql<boolean>`expires_at < ${now} - interval '30 days'`)
        .execute();
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

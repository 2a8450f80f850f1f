import type { SessionInfo, SignInResponse } from '@fanzha/contracts';
import type { Role } from '@fanzha/domain';
import { newToken, tokenHash } from '../../platform/crypto/tokens';
import { matchTotp, newTotpSecret, otpauthUrl } from '../../platform/crypto/totp';
import { AppError, rateLimited } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { AuthDeps, ClientInfo } from './auth-deps';
import { newPasswordHash } from './one-time-password';
import { verifyPassword } from './password';
import {
  countChallengeAttempt,
  findChallenge,
  insertChallenge,
  insertSession,
  markChallengeUsed,
} from './sessions.repository';
import type { SignInRefusals } from './sign-in-refusals.service';
import { addressKey } from './sign-in-limits';
import { clearPair, lockedUntil, recordFailure } from './sign-in.repository';
import {
  claimTotpStep,
  findUserById,
  findUserByUsername,
  toMe,
  updateUser,
  type UserRow,
} from './users.repository';

export const signInRules = {
  challengeMs: 5 * 60_000,
  challengeAttempts: 5,
  /** Sessions are touched at most this often, so reads do not each cost a write. */
  touchEveryMs: 60_000,
};

/** How long a `wall` role's session may last (its idle limit still applies; the wall refreshes each minute). */
export const WALL_SESSION_MAX_MS = 30 * 24 * 3_600_000;

const WRONG_CREDENTIALS = 'Wrong username or password';

/**
 * Sign-in in two steps — password, then a TOTP code. A password alone never opens a session. Failures
 * are counted per typed username and client address (`sign-in-limits.ts`) and answered identically
 * whether or not the user exists; each TOTP code works once. Refusals are audited by bursts
 * (`sign-in-refusals.service.ts`).
 */
export function createSignInService(deps: AuthDeps & { refusals: SignInRefusals }) {
  const { db, clock, secretBox, refusals } = deps;
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
        await refusals.refuse({
          action: 'auth.sign_in',
          username,
          address,
          reason: 'locked',
          entry: {
            ...auditEntry(ctxOf(client), {
              action: 'auth.sign_in',
              result: 'denied',
              details: { username, reason: 'locked' },
            }),
            result: 'denied',
          },
        });
        const waitS = (until.getTime() - now.getTime()) / 1000;
        throw rateLimited(`Too many failed sign-ins; try again in ${Math.ceil(waitS / 60)} minute(s)`, waitS);
      }
      const user = await findUserByUsername(db, username);
      const isRight = await verifyPassword(user?.password_hash, password);
      if (!user || !isRight || user.is_disabled) {
        await recordFailure(db, username, address, now);
        const reason = !user ? 'unknown_user' : user.is_disabled ? 'disabled' : 'wrong_password';
        await refusals.refuse({
          action: 'auth.sign_in',
          username,
          address,
          reason,
          entry: {
            ...auditEntry(ctxOf(client, user), {
              action: 'auth.sign_in',
              result: 'failure',
              details: { username, reason },
            }),
            result: 'failure',
          },
        });
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
          await updateUser(trx, user.id, { password_hash: newHash, must_change_password: false });
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
        if (pending) await updateUser(trx, user.id, { totp_pending_enc: secretBox.seal(pending) });
        await insertChallenge(trx, {
          id_hash: tokenHash(challenge),
          user_id: user.id,
          kind: isEnrolment ? 'enrol_totp' : 'totp',
          created_at: now,
          expires_at: expiresAt,
        });
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
      const challenge = await findChallenge(db, idHash);
      const user = challenge ? await findUserById(db, challenge.user_id) : undefined;
      if (
        !challenge ||
        !user ||
        challenge.used_at ||
        challenge.expires_at <= now ||
        challenge.attempts >= signInRules.challengeAttempts ||
        user.is_disabled
      ) {
        // Anyone can send made-up challenges: counted by bursts like refused passwords.
        await refusals.refuse({
          action: 'auth.totp',
          username: user?.username ?? '',
          address: addressKey(client.ip),
          reason: 'challenge_invalid',
          entry: {
            ...auditEntry(ctxOf(client, user), {
              action: 'auth.totp',
              result: 'failure',
              details: { reason: 'challenge_invalid' },
            }),
            result: 'failure',
          },
        });
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
        const claimed =
          step === undefined
            ? undefined
            : await claimTotpStep(trx, user.id, step, {
                last_sign_in_at: now,
                ...(challenge.kind === 'enrol_totp'
                  ? { totp_secret_enc: sealed, totp_pending_enc: null }
                  : {}),
              });
        if (!claimed) {
          await countChallengeAttempt(trx, idHash);
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
        await markChallengeUsed(trx, idHash, now);
        await insertSession(trx, {
          id_hash: tokenHash(token),
          user_id: user.id,
          created_at: now,
          last_seen_at: now,
          idle_expires_at: idleExpiresAt,
          expires_at: expiresAt,
          client_ip: client.ip,
          user_agent: client.userAgent?.slice(0, 300) ?? null,
        });
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
  };
}

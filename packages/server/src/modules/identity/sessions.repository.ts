import type { Insertable, Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { AuthChallengeTable, DB, SessionTable } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

const challengeColumns = [
  'id_hash',
  'user_id',
  'kind',
  'created_at',
  'expires_at',
  'attempts',
  'used_at',
] as const;

export function findChallenge(db: Db, idHash: string) {
  return db
    .selectFrom('auth_challenge')
    .select(challengeColumns)
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function insertChallenge(db: Db, challenge: Insertable<AuthChallengeTable>): Promise<void> {
  await db.insertInto('auth_challenge').values(challenge).execute();
}

export async function countChallengeAttempt(db: Db, idHash: string): Promise<void> {
  await db
    .updateTable('auth_challenge')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id_hash', '=', idHash)
    .execute();
}

export async function markChallengeUsed(db: Db, idHash: string, at: Date): Promise<void> {
  await db.updateTable('auth_challenge').set({ used_at: at }).where('id_hash', '=', idHash).execute();
}

export async function insertSession(db: Db, session: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('session').values(session).execute();
}

/** A session with the account behind it: what authenticating a request needs. */
export function findSessionWithUser(db: Db, idHash: string) {
  return db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'app_user.id',
      'app_user.username',
      'app_user.display_name',
      'app_user.role',
      'app_user.bank_code',
      'app_user.operator_code',
      'app_user.county_code',
      'app_user.is_disabled',
      'app_user.is_demo',
      'session.last_seen_at',
      'session.idle_expires_at',
      'session.expires_at',
      'session.revoked_at',
    ])
    .where('session.id_hash', '=', idHash)
    .executeTakeFirst();
}

/** Whether a session still stands, as far as its own row and its account say. */
export function findSessionStanding(db: Db, idHash: string) {
  return db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select(['session.revoked_at', 'session.idle_expires_at', 'session.expires_at', 'app_user.is_disabled'])
    .where('session.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, idHash: string, at: Date, idleExpiresAt: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ last_seen_at: at, idle_expires_at: idleExpiresAt })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function revokeSession(db: Db, idHash: string, at: Date): Promise<void> {
  await db.updateTable('session').set({ revoked_at: at }).where('id_hash', '=', idHash).execute();
}

/** Ends every open session of a user (their access changed). */
export async function revokeUserSessions(db: Db, userId: string, at: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Removes expired challenges and sessions ended more than 30 days ago. */
export async function pruneChallengesAndSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('auth_challenge').where('expires_at', '<', now).execute();
  await db
    .deleteFrom('session')
    .where(sql<boolean>`expires_at < ${now} - interval '30 days'`)
    .execute();
}

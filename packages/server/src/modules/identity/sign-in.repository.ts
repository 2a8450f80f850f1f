import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { BurstUsernames } from '@fanzha/domain';
import { limitKeys, pairKey, signInLimits } from './sign-in-limits';

type Db = Kysely<DB> | Transaction<DB>;

/** Until when the username may not sign in from this address, if it is locked now. */
export async function lockedUntil(
  db: Db,
  username: string,
  address: string,
  now: Date,
): Promise<Date | undefined> {
  const rows = await db
    .selectFrom('sign_in_limit')
    .select('locked_until')
    .where((eb) =>
      eb.or(
        limitKeys(username, address).map(([scope, key]) =>
          eb.and([eb('scope', '=', scope), eb('key', '=', key)]),
        ),
      ),
    )
    .where('locked_until', '>', now)
    .orderBy('locked_until', 'desc')
    .limit(1)
    .execute();
  return rows[0]?.locked_until ?? undefined;
}

/**
 * Counts a failure under each key, locking those that reach their limit; one statement per key, atomic.
 * The different usernames of an address are counted by the failures that begin a pair's window.
 */
export async function recordFailure(db: Db, username: string, address: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - signInLimits.windowMs);
  const lockEnd = new Date(now.getTime() + signInLimits.lockMs);
  let isNewUsername = false;
  for (const [scope, key, limit] of limitKeys(username, address)) {
    if (scope === 'usernames' && !isNewUsername) continue;
    const isStale = sql<boolean>`l.window_started_at < ${windowStart}::timestamptz`;
    const failures = sql<number>`case when ${isStale} then 1 else l.failures + 1 end`;
    const { rows } = await sql<{ failures: number }>`
      insert into sign_in_limit as l (scope, key, failures, window_started_at, locked_until)
      values (${scope}, ${key}, 1, ${now}::timestamptz, null)
      on conflict (scope, key) do update set
        failures = ${failures},
        window_started_at = case when ${isStale} then ${now}::timestamptz else l.window_started_at end,
        locked_until = case when ${failures} >= ${limit} then ${lockEnd}::timestamptz else l.locked_until end
      returning l.failures`.execute(db);
    if (scope === 'pair') isNewUsername = rows[0]?.failures === 1;
  }
}

/** A right password from this address clears its own count. */
export async function clearPair(db: Db, username: string, address: string): Promise<void> {
  await db
    .deleteFrom('sign_in_limit')
    .where('scope', '=', 'pair')
    .where('key', '=', pairKey(username, address))
    .execute();
}

/** Forgets windows and locks that have ended. */
export async function pruneSignInLimits(db: Db, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - signInLimits.windowMs);
  await db
    .deleteFrom('sign_in_limit')
    .where('window_started_at', '<', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}

/** What identifies a burst of refusals: one step, one client address, one reason, whatever the usernames. */
export interface RefusalKey {
  action: string;
  address: string;
  reason: string;
}

/**
 * A burst's row is keyed by '' in `username`: the address's burst, whatever the usernames. Rows with a
 * username are bursts of one username, written by a process of the previous version during an upgrade.
 */
const ANY_USERNAME = '';

/** An open burst, as counted so far. */
export interface RefusalBurst extends RefusalKey, BurstUsernames {
  /** '' for the address's burst; a username for a burst written by the previous version. */
  username: string;
  result: 'failure' | 'denied';
  /** The user of the burst's first refusal, when the typed username was one. */
  userId: string | null;
  role: string | null;
  clientAddress: string | null;
  firstAt: Date;
  lastAt: Date;
  count: number;
}

const burstColumns = [
  'action',
  'username',
  'address',
  'reason',
  'result',
  'user_id',
  'role',
  'client_address',
  'first_at',
  'last_at',
  'count',
  'usernames',
  'unlisted_count',
] as const;

interface BurstRow {
  action: string;
  username: string;
  address: string;
  reason: string;
  result: 'failure' | 'denied';
  user_id: string | null;
  role: string | null;
  client_address: string | null;
  first_at: Date;
  last_at: Date;
  count: number;
  usernames: Record<string, number>;
  unlisted_count: number;
}

const toBurst = (r: BurstRow): RefusalBurst => ({
  action: r.action,
  username: r.username,
  address: r.address,
  reason: r.reason,
  result: r.result,
  userId: r.user_id,
  role: r.role,
  clientAddress: r.client_address,
  firstAt: r.first_at,
  lastAt: r.last_at,
  count: r.count,
  usernames: r.usernames,
  unlistedCount: r.unlisted_count,
});

/** The burst of this kind, locked until the end of the transaction; undefined when there is none. */
export async function lockBurst(trx: Transaction<DB>, key: RefusalKey): Promise<RefusalBurst | undefined> {
  const row = await trx
    .selectFrom('sign_in_refusal')
    .select(burstColumns)
    .where('action', '=', key.action)
    .where('username', '=', ANY_USERNAME)
    .where('address', '=', key.address)
    .where('reason', '=', key.reason)
    .forUpdate()
    .executeTakeFirst();
  return row && toBurst(row);
}

/** Counts one more refusal in the open burst (locked by `lockBurst`), with the usernames as now counted. */
export async function addToBurst(
  trx: Transaction<DB>,
  key: RefusalKey,
  at: Date,
  clientAddress: string | null,
  names: BurstUsernames,
): Promise<void> {
  await trx
    .updateTable('sign_in_refusal')
    .set((eb) => ({
      count: eb('count', '+', 1),
      last_at: at,
      client_address: clientAddress,
      usernames: JSON.stringify(names.usernames),
      unlisted_count: names.unlistedCount,
    }))
    .where('action', '=', key.action)
    .where('username', '=', ANY_USERNAME)
    .where('address', '=', key.address)
    .where('reason', '=', key.reason)
    .execute();
}

/**
 * Starts a burst with its first refusal, replacing an ended one of the same kind (locked by the caller).
 * Returns false when a concurrent refusal of the same kind began it first: the caller then counts this one
 * in it.
 */
export async function beginBurst(
  trx: Transaction<DB>,
  burst: Omit<RefusalBurst, 'count' | 'username'>,
  isReplacing: boolean,
): Promise<boolean> {
  const values = {
    action: burst.action,
    username: ANY_USERNAME,
    address: burst.address,
    reason: burst.reason,
    result: burst.result,
    user_id: burst.userId,
    role: burst.role,
    client_address: burst.clientAddress,
    first_at: burst.firstAt,
    last_at: burst.lastAt,
    count: 1,
    usernames: JSON.stringify(burst.usernames),
    unlisted_count: burst.unlistedCount,
  };
  const row = await trx
    .insertInto('sign_in_refusal')
    .values(values)
    .onConflict((oc) => {
      const target = oc.columns(['action', 'username', 'address', 'reason']);
      return isReplacing ? target.doUpdateSet(values) : target.doNothing();
    })
    .returning('count')
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes and returns the bursts that have ended: nothing for `lastAt`, or begun before `firstAt`. */
export async function takeEndedBursts(
  trx: Transaction<DB>,
  endedBefore: { lastAt: Date; firstAt: Date },
): Promise<RefusalBurst[]> {
  const rows = await trx
    .deleteFrom('sign_in_refusal')
    .where((eb) =>
      eb.or([eb('last_at', '<=', endedBefore.lastAt), eb('first_at', '<=', endedBefore.firstAt)]),
    )
    .returning(burstColumns)
    .execute();
  return rows.map(toBurst);
}

import { isIPv6 } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * Failed sign-ins are counted three ways, each in a 15-minute window, and each lock lasts 15 minutes:
 * - per username and address: 5 — one place guessing one person's password;
 * - per address: 30, whatever the usernames — one place trying many people (or spraying a password);
 * - per username: 50, from anywhere — a guess spread over many places.
 * So a stranger who knows the desk officers' usernames locks only their own address out: the officers,
 * signing in from their desks, are not affected. Locking a user out everywhere takes 50 failures, which
 * the pair limit forces to come from at least 10 addresses — a distributed attack, against which the
 * lock is the lesser evil. An IPv6 client is counted by its /64, which one client can fill by itself.
 * Successful sign-ins clear only their own pair: they prove nothing about other users or places.
 */
export const signInLimits = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  perPair: 5,
  perAddress: 30,
  perUsername: 50,
};

type Scope = 'pair' | 'address' | 'username';

/** The address as counted: IPv4 as is (also when mapped into IPv6), IPv6 by its first 64 bits. */
export function addressKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const keysOf = (username: string, address: string): Array<[Scope, string, number]> => [
  ['pair', `${username}|${address}`, signInLimits.perPair],
  ['address', address, signInLimits.perAddress],
  ['username', username, signInLimits.perUsername],
];

/** Until when the username may not sign in from this address, if it is locked now. */
export async function lockedUntil(
  db: Kysely<DB>,
  username: string,
  address: string,
  now: Date,
): Promise<Date | undefined> {
  const rows = await db
    .selectFrom('sign_in_limit')
    .select('locked_until')
    .where((eb) =>
      eb.or(
        keysOf(username, address).map(([scope, key]) =>
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

/** Counts a failure under each key, locking those that reach their limit; one statement per key, atomic. */
export async function recordFailure(
  db: Kysely<DB>,
  username: string,
  address: string,
  now: Date,
): Promise<void> {
  const windowStart = new Date(now.getTime() - signInLimits.windowMs);
  const lockEnd = new Date(now.getTime() + signInLimits.lockMs);
  for (const [scope, key, limit] of keysOf(username, address)) {
    const isStale = sql<boolean>`l.window_started_at < ${windowStart}::timestamptz`;
    const failures = sql<number>`case when ${isStale} then 1 else l.failures + 1 end`;
    await sql`
      insert into sign_in_limit as l (scope, key, failures, window_started_at, locked_until)
      values (${scope}, ${key}, 1, ${now}::timestamptz, null)
      on conflict (scope, key) do update set
        failures = ${failures},
        window_started_at = case when ${isStale} then ${now}::timestamptz else l.window_started_at end,
        locked_until = case when ${failures} >= ${limit} then ${lockEnd}::timestamptz else l.locked_until end`.execute(
      db,
    );
  }
}

/** A right password from this address clears its own count. */
export async function clearPair(db: Kysely<DB>, username: string, address: string): Promise<void> {
  await db
    .deleteFrom('sign_in_limit')
    .where('scope', '=', 'pair')
    .where('key', '=', `${username}|${address}`)
    .execute();
}

/** Forgets windows and locks that have ended. */
export async function pruneSignInLimits(db: Kysely<DB>, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - signInLimits.windowMs);
  await db
    .deleteFrom('sign_in_limit')
    .where('window_started_at', '<', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema';

/**
 * Takes a transaction-scoped advisory lock if no other transaction holds it, without waiting: true when this
 * transaction has it (until its commit or rollback). For "one of the deployment's processes at a time" work
 * where the others simply skip their turn. The keys in use: the audit sealer 7 340 001, its checkpoints
 * 7 340 002, the outbox relay 7 304 211 (a waiting lock, `whenAdvisoryXactLockTaken`) and the case links'
 * waiting lock 7 301 030; in the space of two keys, the bank protocol's per-stop deadline refreshes
 * (7 305 052, the stop's id).
 */
export async function tryAdvisoryXactLock(trx: Transaction<DB> | Kysely<DB>, key: number): Promise<boolean> {
  const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${key}) as ok`.execute(trx);
  return lock.rows[0]?.ok === true;
}

/**
 * The same try as a condition of the statement that does the work: `(select pg_try_advisory_xact_lock(key))`
 * is evaluated once, before the scan (a one-time filter), so a statement gated by it reads nothing when
 * another transaction holds the lock, and takes the lock for its own transaction otherwise. One round trip
 * instead of two for a "look, then work" round.
 */
export function whileAdvisoryXactLockTaken(key: number) {
  return sql<boolean>`(select pg_try_advisory_xact_lock(${key}))`;
}

/**
 * The waiting form of the same condition: `(select pg_advisory_xact_lock(key))` waits, before the scan, for
 * whichever transaction holds the lock to end, and the statement then reads under the lock. Its snapshot is
 * taken before that wait: rows the holder changed are seen as it left them only where the statement locks
 * them (`for update` reads a row's latest committed version again), so use it with `for update`.
 */
export function whenAdvisoryXactLockTaken(key: number) {
  return sql<boolean>`(select pg_advisory_xact_lock(${key})::text) is not null`;
}

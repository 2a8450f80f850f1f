import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { runEvery, type Periodic } from '../every';
import type { Logger } from '../logger';

/**
 * Published events are kept a little longer than the broker keeps them (7 days), so a redelivery can
 * always find its consumer's marker and a reconnecting stream its replay; after that both go. An
 * unpublished event is never deleted, however old.
 */
export const OUTBOX_RETENTION_MS = 8 * 24 * 3_600_000;
const BATCH = 5_000;

/** Deletes what is past retention, in small batches so it never holds long locks. Returns rows deleted. */
export async function pruneOutbox(db: Kysely<DB>, now: Date, keepMs = OUTBOX_RETENTION_MS): Promise<number> {
  const cutoff = new Date(now.getTime() - keepMs);
  let deleted = 0;
  for (;;) {
    // Oldest ids first: the rows past retention are at the low end of the id order.
    const events = await sql`
      delete from outbox where id in (
        select id from outbox where published_at < ${cutoff} order by id limit ${BATCH})`.execute(db);
    const markers = await sql`
      delete from processed_event where ctid in (
        select ctid from processed_event where processed_at < ${cutoff} limit ${BATCH})`.execute(db);
    const n = Number(events.numAffectedRows ?? 0n) + Number(markers.numAffectedRows ?? 0n);
    deleted += n;
    if (n === 0) return deleted;
  }
}

export function startOutboxRetention(opts: {
  db: Kysely<DB>;
  log: Logger;
  everyMs: number;
  now?: () => Date;
}): Periodic {
  return runEvery(
    async () => {
      const n = await pruneOutbox(opts.db, opts.now?.() ?? new Date());
      if (n > 0) opts.log.info({ deleted: n }, 'pruned the outbox past retention');
    },
    { log: opts.log, everyMs: opts.everyMs, what: 'outbox retention', isImmediate: true },
  );
}

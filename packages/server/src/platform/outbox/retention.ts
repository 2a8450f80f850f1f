import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
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
}) {
  let running: Promise<unknown> | undefined;
  const round = () => {
    running ??= pruneOutbox(opts.db, opts.now?.() ?? new Date())
      .then((n) => n > 0 && opts.log.info({ deleted: n }, 'pruned the outbox past retention'))
      .catch((err: unknown) => opts.log.error({ err }, 'outbox retention failed'))
      .finally(() => (running = undefined));
  };
  round();
  const timer = setInterval(round, opts.everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

import type { EventEnvelope } from '@fanzha/domain';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * The transactional outbox. A service writes its rows and the events they cause in one transaction, so
 * an event exists exactly when its change does; the relay publishes later. The bus is never the only
 * copy of anything: until the broker acknowledges, the row stays unpublished and is sent again.
 */
export async function enqueue(trx: Transaction<DB> | Kysely<DB>, ...events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(events.map((e) => ({ event_id: e.id, subject: e.subject, envelope: JSON.stringify(e) })))
    .execute();
}

/**
 * Runs `effect` at most once per (consumer, event): the marker row and the effect commit together, so a
 * redelivered event (after a crash, a nak or a republish) finds the marker and changes nothing.
 * Returns false when the event had already been processed.
 */
export async function processOnce(
  db: Kysely<DB>,
  consumer: string,
  event: EventEnvelope,
  effect: (trx: Transaction<DB>) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const marked = await trx
      .insertInto('processed_event')
      .values({ consumer, event_id: event.id })
      .onConflict((oc) => oc.doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!marked) return false;
    await effect(trx);
    return true;
  });
}

export interface OutboxStats {
  unpublished: number;
  oldestUnpublishedAgeS: number | null;
}

export async function outboxStats(db: Kysely<DB>): Promise<OutboxStats> {
  const row = await db
    .selectFrom('outbox')
    .where('published_at', 'is', null)
    .select([
      sql<number>`count(*)::int`.as('unpublished'),
      sql<number | null>`extract(epoch from now() - min(created_at))::float8`.as('age'),
    ])
    .executeTakeFirstOrThrow();
  return { unpublished: row.unpublished, oldestUnpublishedAgeS: row.age };
}

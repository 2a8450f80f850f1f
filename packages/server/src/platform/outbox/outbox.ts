import type { EventEnvelope } from '@fanzha/domain';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { carriedFieldKeys, fieldCipher, openRows } from '../crypto/field-cipher';

/**
 * The transactional outbox. A service writes its rows and the events they cause in one transaction, so
 * an event exists exactly when its change does; the relay publishes later. The bus is never the only
 * copy of anything: until the broker acknowledges, the row stays unpublished and is sent again.
 *
 * Events carry personal data (names in reports, requests, instructions), so the envelope is stored sealed by
 * the field cipher, bound to its event id, when the handle carries the field keys — the app's handle always
 * does (`withFieldKeys`); a bare handle (platform tests, benchmarks) writes the envelope as it is. The relay
 * and the stream's replay open it (`openEnvelopes`).
 */
export async function enqueue(trx: Transaction<DB> | Kysely<DB>, ...events: EventEnvelope[]): Promise<void> {
  await enqueueMany(trx, events);
}

/** Each event's envelope as the outbox stores it: sealed and bound to its id when the handle carries the keys. */
async function storedEnvelopes(
  trx: Transaction<DB> | Kysely<DB>,
  events: readonly EventEnvelope[],
): Promise<string[]> {
  const cipher = carriedFieldKeys(trx) ? await fieldCipher(trx) : undefined;
  return events.map((e) =>
    JSON.stringify(cipher ? cipher.seal('outbox.envelope', [e.id], JSON.stringify(e)) : e),
  );
}

/**
 * `enqueue` with the events as an array (an import's thousands of `indicator.changed`): each envelope sealed
 * when the handle carries the field keys, in the caller's transaction, in the order given, written by one
 * statement over arrays (`unnest`) — one statement text whatever the number of events, so it is prepared
 * once per connection, and no number of events meets the limit on bound parameters.
 */
export async function enqueueMany(
  trx: Transaction<DB> | Kysely<DB>,
  events: readonly EventEnvelope[],
): Promise<void> {
  if (events.length === 0) return;
  const envelopes = await storedEnvelopes(trx, events);
  await sql`
    insert into outbox (event_id, subject, envelope)
    select v.event_id, v.subject, v.envelope
    from unnest(
      ${events.map((e) => e.id)}::uuid[],
      ${events.map((e) => e.subject)}::text[],
      ${envelopes}::jsonb[]
    ) with ordinality as v(event_id, subject, envelope, n)
    order by v.n`.execute(trx);
}

/** The events of outbox rows, opened where sealed (the keys come with the handle). */
export async function openEnvelopes(
  db: Transaction<DB> | Kysely<DB>,
  rows: Array<{ event_id: string; envelope: unknown }>,
): Promise<EventEnvelope[]> {
  if (!rows.some((r) => typeof r.envelope === 'string')) return rows.map((r) => r.envelope as EventEnvelope);
  return (await openRows(db, 'outbox', rows)).map((r) => r.envelope as EventEnvelope);
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

/**
 * The batch form of `processOnce`: one transaction marks every event of the batch and applies the effect
 * to those not seen before (in their order), so a batch costs one round trip for its markers whatever its
 * size. A crash or failure before the commit leaves neither markers nor effects: the redelivered events
 * are applied then, once. Returns the events that were new.
 */
export async function processBatchOnce(
  db: Kysely<DB>,
  consumer: string,
  events: EventEnvelope[],
  effect: (trx: Transaction<DB>, fresh: EventEnvelope[]) => Promise<void>,
): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    // Over an array: one statement text whatever the batch's size.
    const marked = await sql<{ event_id: string }>`
      insert into processed_event (consumer, event_id)
      select ${consumer}, v.event_id from unnest(${events.map((e) => e.id)}::uuid[]) as v(event_id)
      on conflict do nothing
      returning event_id`.execute(trx);
    const isFresh = new Set(marked.rows.map((r) => r.event_id));
    // A redelivery can repeat an id inside one batch: the first copy is the one applied.
    const fresh = events.filter((e) => isFresh.delete(e.id));
    if (fresh.length > 0) await effect(trx, fresh);
    return fresh;
  });
}

/**
 * The events committed after the one with `lastEventId`, of the given subjects, oldest first: what a live
 * client missed while it was away. `undefined` when that event is unknown or already pruned.
 */
export async function eventsAfter(
  db: Kysely<DB>,
  lastEventId: string,
  subjects: readonly string[],
  limit: number,
): Promise<EventEnvelope[] | undefined> {
  const from = await db
    .selectFrom('outbox')
    .select('id')
    .where('event_id', '=', lastEventId)
    .executeTakeFirst();
  if (!from) return undefined;
  const rows = await db
    .selectFrom('outbox')
    .select(['event_id', 'envelope'])
    .where('id', '>', from.id)
    .where('subject', 'in', [...subjects])
    .orderBy('id')
    .limit(limit)
    .execute();
  return openEnvelopes(db, rows);
}

/** One event as the outbox keeps it (opened where sealed), or undefined once pruned or never there. */
export async function eventById(db: Kysely<DB>, eventId: string): Promise<EventEnvelope | undefined> {
  const rows = await db
    .selectFrom('outbox')
    .select(['event_id', 'envelope'])
    .where('event_id', '=', eventId)
    .execute();
  return (await openEnvelopes(db, rows))[0];
}

/** Whether `consumer` has already processed the event (its marker of `processOnce` is there). */
export async function isProcessed(db: Kysely<DB>, consumer: string, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('processed_event')
    .select('event_id')
    .where('consumer', '=', consumer)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row !== undefined;
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

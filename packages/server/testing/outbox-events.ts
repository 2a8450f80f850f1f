/**
 * The events a test's transactions committed to the outbox, opened as the relay opens them: the outbox holds
 * its events sealed with the field cipher, under the harness's secret. For tests that drive a consumer by
 * hand, one batch at a time.
 */
import type { EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema';
import { createFieldKeys, withFieldKeys } from '../src/platform/crypto/field-cipher';
import { openEnvelopes } from '../src/platform/outbox/outbox';

/** The field keys of `createHarness` (the same secret). */
export const harnessFieldKeys = () => createFieldKeys(Buffer.alloc(32, 9));

/** The outbox's events after row `after`, of the given subjects (all when none), in commit order. */
export async function committedEvents(
  db: Kysely<DB>,
  opts: { after?: number; subjects?: readonly string[] } = {},
): Promise<Array<{ id: number; event: EventEnvelope }>> {
  let query = db
    .selectFrom('outbox')
    .select(['id', 'event_id', 'envelope'])
    .where('id', '>', opts.after ?? 0);
  if (opts.subjects) query = query.where('subject', 'in', [...opts.subjects]);
  const rows = await query.orderBy('id').execute();
  const events = await openEnvelopes(withFieldKeys(db, harnessFieldKeys()), rows);
  return rows.map((r, i) => ({ id: r.id, event: events[i]! }));
}

/** How many of these events a consumer has marked applied (`processed_event`). */
export async function consumerMarks(
  db: Kysely<DB>,
  consumer: string,
  events: ReadonlyArray<{ id: string }>,
): Promise<number> {
  if (events.length === 0) return 0;
  const row = await db
    .selectFrom('processed_event')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consumer', '=', consumer)
    .where(
      'event_id',
      'in',
      events.map((e) => e.id),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

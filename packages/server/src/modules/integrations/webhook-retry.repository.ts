import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { WebhookRetryTable } from '../../db/schema.platform';

type Db = Kysely<DB> | Transaction<DB>;

/** Which delivery a retry is: the consumer, the key whose webhook it goes to, the event it is built from. */
export interface RetryKey {
  consumer: WebhookRetryTable['consumer'];
  key_kind: WebhookRetryTable['key_kind'];
  key_id: string;
  event_id: string;
}

export interface RetryRow extends RetryKey {
  attempts: number;
  created_at: Date;
}

const due = (db: Db, now: Date) =>
  db
    .selectFrom('webhook_retry')
    .select(['consumer', 'key_id', 'event_id'])
    .where('status', '=', 'pending')
    .where('next_at', '<=', now);

/** Where a delivery stands after an attempt: taken, to be tried again at `nextAt`, or given up. */
export type RetryOutcome =
  | { status: 'delivered'; at: Date }
  | { status: 'pending'; at: Date; nextAt: Date; error: string }
  | { status: 'dropped'; at: Date; error: string };

export const webhookRetryRepository = {
  /** A failed first attempt, kept to be tried again at `nextAt` (once per consumer, key and event). */
  async keep(db: Db, key: RetryKey, at: Date, nextAt: Date, error: string): Promise<void> {
    await db
      .insertInto('webhook_retry')
      .values({ ...key, status: 'pending', attempts: 1, next_at: nextAt, last_error: error, created_at: at })
      .onConflict((oc) => oc.columns(['consumer', 'key_id', 'event_id']).doNothing())
      .execute();
  },

  /** Whether any delivery is due: the idle sweep's one indexed statement. */
  hasDue: async (db: Db, now: Date): Promise<boolean> =>
    (await due(db, now).limit(1).executeTakeFirst()) !== undefined,

  /**
   * Takes the deliveries due, moving each one's next attempt to `until` so that another worker's sweep does
   * not take it meanwhile (rows another sweep holds are skipped).
   */
  takeDue: async (db: Db, now: Date, until: Date, limit: number): Promise<RetryRow[]> =>
    (
      await sql<RetryRow>`
        update webhook_retry set next_at = ${until}
        where (consumer, key_id, event_id) in (
          select consumer, key_id, event_id from webhook_retry
          where status = 'pending' and next_at <= ${now}
          order by next_at limit ${limit} for update skip locked)
        and status = 'pending'
        returning consumer, key_kind, key_id, event_id, attempts, created_at`.execute(db)
    ).rows,

  /** How a taken delivery went, after `attempts` attempts in all. */
  async attempted(db: Db, key: RetryKey, attempts: number, outcome: RetryOutcome): Promise<void> {
    await db
      .updateTable('webhook_retry')
      .set({
        attempts,
        status: outcome.status,
        next_at: outcome.status === 'pending' ? outcome.nextAt : null,
        last_error: outcome.status === 'delivered' ? null : outcome.error,
        done_at: outcome.status === 'pending' ? null : outcome.at,
      })
      .where('consumer', '=', key.consumer)
      .where('key_id', '=', key.key_id)
      .where('event_id', '=', key.event_id)
      .where('status', '=', 'pending')
      .execute();
  },

  /** Deletes deliveries that ended (taken or given up) before `before`; returns how many. */
  async pruneEnded(db: Db, before: Date): Promise<number> {
    const r = await db
      .deleteFrom('webhook_retry')
      .where('status', '<>', 'pending')
      .where('done_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  /** The deliveries of one event (tests and support). */
  ofEvent: (db: Db, eventId: string) =>
    db.selectFrom('webhook_retry').selectAll().where('event_id', '=', eventId).orderBy('key_id').execute(),
};

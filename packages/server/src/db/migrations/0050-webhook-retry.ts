import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// A webhook delivery that failed is a duty kept in the database: `pending` from the failed attempt's
// transaction, tried again by the worker's sweep with a growing pause until the party's endpoint answers
// 2xx (`delivered`) or three days have passed (`dropped`), also after a restart. It was the broker's
// redelivery before: a few tries within a second, then nothing. The row names the event and the key only:
// the delivery is built again from the event in the outbox (sealed there), so no personal data is copied.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_retry (
      consumer text not null check (consumer in ('bank-webhook', 'party-notice')),
      key_kind text not null check (key_kind in ('bank', 'signal')),
      key_id uuid not null,
      event_id uuid not null,
      status text not null check (status in ('pending', 'delivered', 'dropped')),
      attempts integer not null,
      next_at timestamptz,
      last_error text,
      created_at timestamptz not null,
      done_at timestamptz,
      primary key (consumer, key_id, event_id),
      check ((status = 'pending') = (next_at is not null))
    )`.execute(db);
  await sql`create index webhook_retry_due on webhook_retry (next_at) where status = 'pending'`.execute(db);
}

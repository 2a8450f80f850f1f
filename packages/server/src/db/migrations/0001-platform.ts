import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox (
      id bigserial primary key,
      event_id uuid not null unique,
      subject text not null check (subject ~ '^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$'),
      envelope jsonb not null,
      created_at timestamptz not null default now(),
      published_at timestamptz,
      attempts integer not null default 0 check (attempts >= 0),
      last_error text
    )`.execute(db);
  // The relay only ever looks for what is still unpublished; keep that index small.
  await sql`create index outbox_unpublished on outbox (id) where published_at is null`.execute(db);
  await sql`
    create table processed_event (
      consumer text not null,
      event_id uuid not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id)
    )`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Callbacks to victims and warned people (回访): one per (kind, source) — a closed report, money returned to the
// victim, a persuaded warning episode —, its attempts, and the supervisor's settings (one row, with defaults).
// The person's name and phone are copied from the source, sealed by the field cipher like the source's own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table callback (
      id uuid primary key,
      kind text not null check (kind in ('report_closed', 'money_returned', 'persuaded')),
      source_id text not null,
      report_id uuid,
      report_number text,
      episode_id uuid,
      county_code text,
      person_name text,
      person_phone text,
      status text not null default 'open'
        check (status in ('open', 'done', 'unreachable', 'refused', 'cancelled')),
      attempts integer not null default 0,
      due_at timestamptz,
      satisfaction smallint check (satisfaction between 1 and 5),
      has_complaint boolean not null default false,
      source_at timestamptz not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      closed_at timestamptz,
      unique (kind, source_id)
    )`.execute(db);
  await sql`create index callback_due on callback (due_at) where status = 'open'`.execute(db);
  await sql`create index callback_created on callback (created_at)`.execute(db);
  await sql`create index callback_closed on callback (closed_at) where closed_at is not null`.execute(db);
  await sql`
    create table callback_attempt (
      callback_id uuid not null references callback (id),
      n integer not null,
      outcome text not null check (outcome in ('reached', 'no_answer', 'busy', 'refused', 'wrong_number')),
      satisfaction smallint check (satisfaction between 1 and 5),
      complaint text,
      note text,
      by_user_id uuid not null,
      by_username text not null,
      idempotency_key text,
      at timestamptz not null,
      primary key (callback_id, n)
    )`.execute(db);
  await sql`create unique index callback_attempt_key on callback_attempt (callback_id, idempotency_key)
    where idempotency_key is not null`.execute(db);
  await sql`
    create table callback_settings (
      id boolean primary key default true check (id),
      delay_report_closed_min integer not null default 1440,
      delay_money_returned_min integer not null default 1440,
      delay_persuaded_min integer not null default 4320,
      retry_min integer not null default 240,
      max_attempts integer not null default 3,
      updated_by text,
      updated_at timestamptz
    )`.execute(db);
  await sql`insert into callback_settings (id) values (true)`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The command wall's read model, kept by the wall's rollup consumer as events happen, so that a refresh
// reads a few thousand rollup rows and index ranges, never the base tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Counters per China-time hour (headline figures: today, this month, the last 24 hours) and per day
  // and key (counties, fraud types). `key` is '' where a metric has no key.
  await sql`
    create table wall_hour (
      hour timestamptz not null,
      metric text not null,
      n bigint not null default 0,
      fen bigint not null default 0,
      primary key (hour, metric)
    )`.execute(db);
  await sql`
    create table wall_day (
      day date not null,
      metric text not null,
      key text not null default '',
      n bigint not null default 0,
      fen bigint not null default 0,
      primary key (day, metric, key)
    )`.execute(db);

  // What the rollups last counted of each report, stop-payment request and county hand-off. A change is
  // applied as (new − counted), so a redelivered or reordered event changes nothing twice.
  await sql`
    create table wall_report (
      report_id uuid primary key,
      answered_at timestamptz,
      is_received boolean not null default false,
      county_code text,
      fraud_type text,
      loss_fen bigint not null default 0,
      to_stop_s double precision,
      stopped_fen bigint not null default 0,
      frozen_fen bigint not null default 0,
      returned_fen bigint not null default 0
    )`.execute(db);
  // The three-minute clock reads today's reports by the time their call was answered.
  await sql`create index wall_report_answered on wall_report (answered_at) include (to_stop_s)`.execute(db);

  await sql`
    create table wall_stop (
      id uuid primary key,
      report_id uuid,
      bank_code text,
      layer integer,
      is_stopped boolean not null default false,
      answered_at timestamptz,
      response_s double precision,
      stopped_fen bigint not null default 0,
      frozen_fen bigint not null default 0,
      returned_fen bigint not null default 0,
      is_in_force boolean not null default false,
      expires_at timestamptz,
      event_at timestamptz
    )`.execute(db);
  // Banks' response times over the last 24 hours.
  await sql`
    create index wall_stop_answered on wall_stop (answered_at) include (bank_code, response_s, is_stopped)
    where answered_at is not null`.execute(db);
  // Emergency stops still in force, by the end of their 48 hours.
  await sql`create index wall_stop_lapsing on wall_stop (expires_at) where is_in_force`.execute(db);

  await sql`
    create table wall_task (
      id uuid primary key,
      county_code text,
      is_open boolean not null default false,
      is_overdue boolean not null default false,
      due_at timestamptz,
      event_at timestamptz
    )`.execute(db);
  await sql`create index wall_task_open on wall_task (due_at) include (county_code, is_overdue) where is_open`.execute(
    db,
  );

  // The latest lines of the ticker (pruned to a few hundred by the consumer).
  await sql`
    create table wall_ticker (
      id bigserial primary key,
      at timestamptz not null,
      kind text not null check (kind in ('received', 'stopped', 'frozen', 'returned')),
      county_code text,
      fraud_type text,
      loss_fen bigint not null,
      stopped_fen bigint not null,
      frozen_fen bigint not null,
      returned_fen bigint not null,
      text text not null
    )`.execute(db);
}

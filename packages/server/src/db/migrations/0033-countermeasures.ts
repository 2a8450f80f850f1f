import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Countermeasures (技术反制): the centre's signed requests to operators (block a number, take down a URL or
// domain, block an app) and banks (restrict an account or card), each with its lifecycle and SLA; the batches
// they were requested in (keyed by the centre's Idempotency-Key); every transition, with the party's key.
// A countermeasure past its SLA raises the centre's alert: a new alert kind, with no report behind it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table countermeasure_batch (
      id uuid primary key,
      idempotency_key text not null unique,
      body_hash text not null,
      requested_by uuid not null references app_user (id),
      created_at timestamptz not null
    )`.execute(db);
  await sql`
    create table countermeasure (
      id uuid primary key,
      seq bigserial not null unique,
      batch_id uuid not null references countermeasure_batch (id),
      kind text not null check (kind in ('block_phone', 'takedown_url', 'block_app', 'restrict_account')),
      party_kind text not null check (party_kind in ('operator', 'bank')),
      party_code text not null,
      indicator_id bigint,
      value text not null,
      reason text not null,
      status text not null check (status in (
        'requested', 'acknowledged', 'executed', 'refused', 'lift_requested', 'lifted')),
      refusal_reason text,
      note text,
      lift_reason text,
      instruction jsonb not null,
      signature text not null,
      key_id text not null,
      algorithm text not null,
      requested_by uuid not null references app_user (id),
      requested_at timestamptz not null,
      acknowledged_at timestamptz,
      executed_at timestamptz,
      refused_at timestamptz,
      lift_requested_at timestamptz,
      lifted_at timestamptz,
      due_at timestamptz,
      overdue_at timestamptz,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index countermeasure_party on countermeasure (party_kind, party_code, status, seq)`.execute(
    db,
  );
  await sql`create index countermeasure_due on countermeasure (due_at) where overdue_at is null`.execute(db);
  await sql`create index countermeasure_batch_items on countermeasure (batch_id, seq)`.execute(db);
  await sql`
    create table countermeasure_event (
      id uuid primary key,
      countermeasure_id uuid not null references countermeasure (id),
      event text not null,
      from_status text not null,
      to_status text not null,
      at timestamptz not null,
      by_username text not null,
      idempotency_key text,
      details jsonb not null,
      unique (countermeasure_id, idempotency_key)
    )`.execute(db);
  await sql`alter table alert alter column report_id drop not null`.execute(db);
  await sql`alter table alert drop constraint alert_kind_check`.execute(db);
  await sql`
    alter table alert add constraint alert_kind_check check (kind in (
      'stop_lapsing', 'stop_lapsed', 'freeze_ending', 'freeze_expired', 'return_overdue', 'task_overdue',
      'cluster_grown', 'countermeasure_overdue'))`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Case linking (串并案): the values each submitted report and each bank's answer named (an index by value, to
// find the reports sharing a new report's values in one look-up), the links between reports with their
// evidence (the shared value), the clusters (gangs) and which cluster each linked report is in, and each
// cluster's history (the linker's changes and the analysts' decisions, with their idempotency keys). A
// cluster that grows past the threshold raises the centre's alert: a new alert kind.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table link_value (
      kind text not null,
      value text not null,
      report_id uuid not null,
      layer smallint,
      seen_at timestamptz not null,
      primary key (kind, value, report_id)
    )`.execute(db);
  await sql`create index link_value_report on link_value (report_id)`.execute(db);
  await sql`
    create table cluster (
      id uuid primary key,
      status text not null check (status in ('open', 'confirmed', 'handed_off', 'merged')),
      report_count integer not null,
      merged_into uuid references cluster (id),
      alerted_at timestamptz,
      hand_off_unit_kind text,
      hand_off_unit_code text,
      hand_off_due_at timestamptz,
      handed_off_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index cluster_recent on cluster (updated_at desc, id desc) where status <> 'merged'`.execute(
    db,
  );
  await sql`create index cluster_active on cluster (alerted_at) where status in ('open', 'confirmed')`.execute(
    db,
  );
  await sql`
    create table cluster_report (
      report_id uuid primary key,
      cluster_id uuid not null references cluster (id),
      joined_at timestamptz not null
    )`.execute(db);
  await sql`create index cluster_report_cluster on cluster_report (cluster_id)`.execute(db);
  await sql`create index cluster_report_joined on cluster_report (joined_at)`.execute(db);
  await sql`
    create table report_link (
      report_a uuid not null,
      report_b uuid not null,
      kind text not null,
      value text not null,
      status text not null check (status in ('active', 'severed')),
      linked_at timestamptz not null,
      severed_at timestamptz,
      primary key (report_a, report_b, kind, value),
      check (report_a < report_b)
    )`.execute(db);
  await sql`create index report_link_b on report_link (report_b)`.execute(db);
  await sql`create index report_link_value on report_link (kind, value) where status = 'active'`.execute(db);
  await sql`
    create table cluster_event (
      id uuid primary key,
      seq bigserial not null,
      cluster_id uuid not null references cluster (id),
      kind text not null,
      at timestamptz not null,
      actor_id uuid references app_user (id),
      reason text,
      details jsonb not null,
      idempotency_key text unique
    )`.execute(db);
  await sql`create index cluster_event_cluster on cluster_event (cluster_id, seq)`.execute(db);
  await sql`alter table alert drop constraint alert_kind_check`.execute(db);
  await sql`
    alter table alert add constraint alert_kind_check check (kind in (
      'stop_lapsing', 'stop_lapsed', 'freeze_ending', 'freeze_expired', 'return_overdue', 'task_overdue',
      'cluster_grown'))`.execute(db);
}

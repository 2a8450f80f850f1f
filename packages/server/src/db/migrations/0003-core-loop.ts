import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence report_number_seq`.execute(db);
  await sql`
    create table report (
      id uuid primary key,
      number text not null unique,
      version integer not null check (version >= 1),
      status text not null check (status in ('draft', 'registered', 'routed', 'accepted', 'closed')),
      created_by uuid not null references app_user (id),
      call_answered_at timestamptz not null,
      victim_name text,
      victim_id_number text,
      victim_phone text,
      victim_county_code text,
      victim_address text,
      narrative text not null default '',
      fraud_type text,
      contacts jsonb not null default '[]',
      total_loss_fen bigint not null default 0 check (total_loss_fen >= 0),
      first_account_pushed_at timestamptz,
      first_instruction_sent_at timestamptz,
      first_stop_result_at timestamptz,
      submitted_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index report_by_county on report (victim_county_code, status)`.execute(db);
  await sql`create index report_by_creator on report (created_by, status)`.execute(db);

  await sql`
    create table report_transfer (
      report_id uuid not null references report (id) on delete cascade,
      key text not null,
      position integer not null,
      transferred_at timestamptz,
      amount_fen bigint check (amount_fen >= 0),
      victim_account text,
      to_number text,
      to_name text,
      to_bank_code text,
      primary key (report_id, key)
    )`.execute(db);

  await sql`
    create table stop_payment (
      id uuid primary key,
      report_id uuid not null references report (id),
      parent_id uuid references stop_payment (id),
      layer integer not null check (layer >= 1),
      account_number text not null,
      account_name text,
      bank_code text not null,
      amount_fen bigint not null check (amount_fen >= 0),
      transferred_at timestamptz,
      status text not null check (status in ('pending', 'sent', 'acknowledged', 'stopped', 'failed', 'withdrawn')),
      legal_doc_number text,
      instruction jsonb,
      signature text,
      key_id text,
      created_at timestamptz not null,
      sent_at timestamptz,
      sent_by text,
      acknowledged_at timestamptz,
      outcome text check (outcome in ('stopped', 'failed')),
      stopped_fen bigint check (stopped_fen >= 0 and stopped_fen <= amount_fen),
      balance_fen bigint check (balance_fen >= 0),
      failure_reason text,
      note text,
      answered_at timestamptz,
      answered_by text,
      answer_key text,
      answer_hash text,
      updated_at timestamptz not null,
      check ((layer = 1) = (parent_id is null)),
      check (status not in ('sent', 'acknowledged', 'stopped', 'failed') or (instruction is not null and signature is not null)),
      check ((status in ('stopped', 'failed')) = (outcome is not null)),
      check (outcome is distinct from 'failed' or failure_reason is not null)
    )`.execute(db);
  // One live first-layer request per account of a report: the draft's corrections update it in place.
  await sql`
    create unique index stop_payment_first_layer on stop_payment (report_id, account_number)
    where parent_id is null and status <> 'withdrawn'`.execute(db);
  await sql`create index stop_payment_open on stop_payment (bank_code, status) where status in ('pending', 'sent', 'acknowledged')`.execute(
    db,
  );
  await sql`create index stop_payment_by_report on stop_payment (report_id)`.execute(db);
  await sql`create index stop_payment_by_parent on stop_payment (parent_id)`.execute(db);

  await sql`
    create table onward_transfer (
      stop_payment_id uuid not null references stop_payment (id),
      position integer not null,
      account_number text not null,
      account_name text,
      bank_code text not null,
      amount_fen bigint not null check (amount_fen > 0),
      transferred_at timestamptz not null,
      child_id uuid not null references stop_payment (id),
      primary key (stop_payment_id, position)
    )`.execute(db);

  // Credentials for banks' systems (machine-to-machine), each bound to one bank, with the public key
  // that verifies the bank's signed answers.
  await sql`
    create table api_key (
      id uuid primary key,
      key_hash text not null unique,
      name text not null,
      bank_code text not null,
      public_key_pem text not null,
      webhook_url text check (webhook_url ~ '^https?://'),
      created_at timestamptz not null,
      created_by uuid references app_user (id),
      revoked_at timestamptz
    )`.execute(db);
}

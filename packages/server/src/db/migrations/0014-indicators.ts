import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The registry of indicators (涉诈号码/网址/APP/账户): every fraud contact a report names and every account
// the money went to, in its normal form, with where it comes from. Kept by the indicators module's consumer.
export async function up(db: Kysely<unknown>): Promise<void> {
  // `value` is the normal form; collation "C" so that a prefix search is a range of the (kind, value) index.
  // Counters are what the provenance rows add up to, kept beside them in the same transaction.
  await sql`
    create table indicator (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('phone', 'domain', 'app', 'social', 'account')),
      value text collate "C" not null,
      status text not null default 'active' check (status in ('active', 'shared', 'suspended', 'not_fraud')),
      risk_level text not null default 'low' check (risk_level in ('low', 'medium', 'high')),
      report_count integer not null default 0,
      answer_count integer not null default 0,
      loss_fen bigint not null default 0,
      first_seen_at timestamptz not null,
      last_seen_at timestamptz not null,
      last_reported_at timestamptz,
      hit_count bigint not null default 0,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (kind, value)
    )`.execute(db);
  // Lists by status, newest first, and the matcher's load of the active ones in id order.
  await sql`create index indicator_status_id on indicator (status, id)`.execute(db);

  // Provenance: which report or bank answer named the indicator, once per (indicator, source), so a
  // redelivered or repeated event adds nothing. A report's row carries the loss counted for it.
  await sql`
    create table indicator_source (
      indicator_id bigint not null references indicator (id),
      source_kind text not null check (source_kind in ('report', 'bank_answer')),
      source_id uuid not null,
      report_id uuid not null,
      report_number text not null,
      loss_fen bigint not null default 0,
      seen_at timestamptz not null,
      primary key (indicator_id, source_kind, source_id)
    )`.execute(db);
  // An indicator's sources, latest first.
  await sql`create index indicator_source_latest on indicator_source (indicator_id, seen_at desc)`.execute(
    db,
  );
  // What one report or answer named (a report edited after submission; the later issue's merges and appeals).
  await sql`create index indicator_source_by_source on indicator_source (source_id)`.execute(db);

  // How many indicators stand in each status: kept by the consumer with its changes, read by the metrics
  // (a count over ten million rows at every scrape would not do).
  await sql`
    create table indicator_tally (
      status text primary key,
      n bigint not null default 0
    )`.execute(db);
  await sql`
    insert into indicator_tally (status)
    values ('active'), ('shared'), ('suspended'), ('not_fraud')`.execute(db);
}

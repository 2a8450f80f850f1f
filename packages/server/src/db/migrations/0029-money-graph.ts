import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The money graph: every account fanzha knows money to have passed through, and every transfer between
// them (a victim's payment from a report, an onward transfer from a bank's answer). Kept by the money-graph
// module's consumer; the record the live graph in each process is built from.
export async function up(db: Kysely<unknown>): Promise<void> {
  // `key`: `${bankCode}:${number}` for an account, `victim:${reportId}` for a victim's source.
  await sql`
    create table money_account (
      key text collate "C" primary key,
      bank_code text,
      number text,
      account_use text check (account_use in ('merchant', 'payroll', 'business', 'personal')),
      first_seen_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  // One row per transfer per report: the same transfer named by two reports' answers (a pooled mule account
  // passing money on) is recorded for each report, so neither victim's trail loses it.
  await sql`
    create table money_transfer (
      id bigint generated always as identity primary key,
      from_key text collate "C" not null,
      to_key text collate "C" not null,
      amount_fen bigint not null check (amount_fen > 0),
      at timestamptz not null,
      report_id uuid not null,
      source_kind text not null check (source_kind in ('report', 'bank_answer')),
      source_id text not null,
      recorded_at timestamptz not null,
      unique (from_key, to_key, amount_fen, at, report_id)
    )`.execute(db);
  // A report's transfers, and an account's in and out (the live graph loads in id order).
  await sql`create index money_transfer_report on money_transfer (report_id)`.execute(db);
  await sql`create index money_transfer_to on money_transfer (to_key)`.execute(db);
  // The bank's word on what an answered account is used for (a freeze of a merchant's is reviewed first).
  await sql`
    alter table stop_payment add column account_use text
      check (account_use in ('merchant', 'payroll', 'business', 'personal'))`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Two cards (断卡): the holders of cards sold or rented to gangs (their ID numbers sealed at rest, found by a
// blind index), every bank card and SIM found in cases with where it was opened (a bank branch or an
// operator's outlet), which cases each card was found in, and the measures (惩戒措施) taken against holders.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table two_card_holder (
      id uuid primary key,
      id_number text not null,
      id_number_bidx text not null unique,
      county_code text,
      hand_off_county_code text,
      hand_off_due_at timestamptz,
      handed_off_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  // institution: the bank's code (a bank card) or the operator (a SIM); place: the branch or the outlet.
  await sql`
    create table two_card (
      id uuid primary key,
      kind text not null check (kind in ('bank', 'sim')),
      number text collate "C" not null,
      institution text not null,
      place_code text,
      place_name text,
      opened_on text check (opened_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      holder_id uuid references two_card_holder (id),
      first_seen_at timestamptz not null,
      updated_at timestamptz not null,
      unique (kind, number)
    )`.execute(db);
  await sql`create index two_card_holder_cards on two_card (holder_id) where holder_id is not null`.execute(
    db,
  );
  await sql`create index two_card_place on two_card (kind, institution, place_code, place_name)`.execute(db);
  await sql`
    create table two_card_case (
      card_id uuid not null references two_card (id),
      report_id uuid not null,
      source_kind text not null check (source_kind in ('report', 'bank_answer')),
      source_id text not null,
      seen_at timestamptz not null,
      primary key (card_id, report_id)
    )`.execute(db);
  await sql`create index two_card_case_report on two_card_case (report_id)`.execute(db);
  await sql`
    create table two_card_measure (
      id uuid primary key,
      holder_id uuid not null references two_card_holder (id),
      kind text not null check (kind in ('no_non_counter_services', 'no_new_accounts', 'limit_new_phone_cards')),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      reason text not null,
      deciding_unit text not null,
      created_by uuid not null references app_user (id),
      created_at timestamptz not null,
      lifted_at timestamptz,
      lifted_by uuid references app_user (id),
      lift_reason text,
      idempotency_key text unique,
      check (ends_at > starts_at)
    )`.execute(db);
  await sql`create index two_card_measure_holder on two_card_measure (holder_id, starts_at)`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
//
// Early warning and persuasion (预警劝阻): the persuader role (劝阻员, bound to a county or, at the centre's
// desk, to none), each person's episode with its persuasion ladder, the warnings listed in it (one per
// screened signal: (source, signal id) is unique, so a redelivered batch warns nobody twice), and the
// contacts the ladder made, each with its verification code.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The role's checks were written unnamed in 0002: found by what they say, replaced by named ones.
  const checks = await sql<{ name: string; def: string }>`
    select conname as name, pg_get_constraintdef(oid) as def
    from pg_constraint where conrelid = 'app_user'::regclass and contype = 'c'`.execute(db);
  for (const c of checks.rows) {
    if (/\brole\b/.test(c.def) && (/county_police/.test(c.def) || /county_code/.test(c.def)))
      await sql`alter table app_user drop constraint ${sql.id(c.name)}`.execute(db);
  }
  await sql`
    alter table app_user
      add constraint app_user_role_known check (role in ('call_taker', 'stop_payment_officer', 'bank_liaison',
        'telecom_liaison', 'county_police', 'persuader', 'analyst', 'supervisor', 'wall', 'admin', 'auditor')),
      -- County police are bound to one county; a persuader to one or (the centre's desk) none; others to none.
      add constraint app_user_county_scope check (
        (role = 'county_police' and county_code is not null)
        or role = 'persuader'
        or (role not in ('county_police', 'persuader') and county_code is null))`.execute(db);

  // One row per person's episode. The person's phone, ID number and name are sealed (field cipher, bound to
  // the row), the phone and ID number also kept as blind indexes: a person has at most one open episode,
  // found by either. The ladder's whole state is kept as written by the domain's machine; its step, grade
  // and next timer are columns too, for the console's order and the sweep's index.
  await sql`
    create table episode (
      id uuid primary key,
      person_phone text,
      person_phone_bidx text,
      person_id_number text,
      person_id_number_bidx text,
      person_name text,
      county_code text check (county_code ~ '^52[0-9]{4}$'),
      routed_by text not null check (routed_by in ('signal', 'id_number', 'centre')),
      grade text not null check (grade in ('low', 'medium', 'high')),
      step text not null check (step in ('sms', 'robot_call', 'human_call', 'trusted_contact', 'carrier_assist',
        'visit', 'hold_pending', 'hold', 'closed')),
      ladder jsonb not null,
      next_timer_at timestamptz,
      is_overdue boolean not null default false,
      warning_count integer not null check (warning_count >= 1),
      opened_at timestamptz not null,
      last_warning_at timestamptz not null,
      taken_by uuid references app_user (id),
      taken_at timestamptz,
      close_reason text,
      closed_at timestamptz,
      intake_draft_wanted_at timestamptz,
      version integer not null default 1,
      updated_at timestamptz not null,
      check (person_phone_bidx is not null or person_id_number_bidx is not null),
      check ((step = 'closed') = (closed_at is not null))
    )`.execute(db);
  await sql`create unique index episode_open_phone on episode (person_phone_bidx)
    where closed_at is null and person_phone_bidx is not null`.execute(db);
  await sql`create unique index episode_open_id_number on episode (person_id_number_bidx)
    where closed_at is null and person_id_number_bidx is not null`.execute(db);
  await sql`create index episode_timer on episode (next_timer_at) where closed_at is null`.execute(db);
  // The console: open first, then grade, overdue and age, per county and for the centre.
  await sql`create index episode_console on episode (county_code, (closed_at is null) desc, opened_at desc, id)`.execute(
    db,
  );
  await sql`create index episode_open_rank on episode (opened_at desc, id) where closed_at is null`.execute(
    db,
  );

  await sql`
    create table episode_warning (
      id uuid primary key,
      episode_id uuid not null references episode (id),
      source text not null check (length(source) between 1 and 80),
      signal_id text not null check (length(signal_id) between 1 and 128),
      signal_kind text not null check (signal_kind in ('bank_transfer', 'call', 'sms', 'url_visit',
        'app_install', 'upstream_warning')),
      indicator_id bigint,
      indicator_kind text,
      indicator_value text,
      grade text not null check (grade in ('low', 'medium', 'high')),
      score integer not null,
      factors jsonb not null,
      amount_fen bigint check (amount_fen >= 0),
      signal_at timestamptz not null,
      recorded_at timestamptz not null,
      -- The order of arrival, for signals of the same instant.
      seq bigint generated always as identity,
      unique (source, signal_id)
    )`.execute(db);
  await sql`create index episode_warning_episode on episode_warning (episode_id, signal_at)`.execute(db);

  // What the ladder did: every message, call, carrier request and visit, and the history of commands.
  await sql`
    create table episode_contact (
      id uuid primary key,
      episode_id uuid not null references episode (id),
      step text not null,
      channel text not null check (channel in ('sms', 'robot_call', 'human_call', 'trusted_contact',
        'carrier_assist', 'visit')),
      verification_code text unique check (verification_code ~ '^[2-9A-HJKMNP-TW-Z]{10}$'),
      status text not null check (status in ('pending', 'sent', 'failed', 'assigned')),
      created_at timestamptz not null,
      sent_at timestamptz,
      failure text,
      -- The order the ladder made them in, for contacts of the same instant.
      seq bigint generated always as identity
    )`.execute(db);
  await sql`create index episode_contact_episode on episode_contact (episode_id, created_at)`.execute(db);
  await sql`create index episode_contact_pending on episode_contact (created_at) where status = 'pending'`.execute(
    db,
  );

  await sql`
    create table episode_event (
      id uuid primary key,
      episode_id uuid not null references episode (id),
      at timestamptz not null,
      event text not null,
      step text not null,
      by_user uuid references app_user (id),
      idempotency_key text check (length(idempotency_key) between 1 and 128),
      details jsonb,
      unique (episode_id, idempotency_key)
    )`.execute(db);
  await sql`create index episode_event_episode on episode_event (episode_id, at)`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table app_user (
      id uuid primary key,
      username text not null unique check (username ~ '^[a-z][a-z0-9._-]{2,31}$'),
      display_name text not null check (length(display_name) between 1 and 64),
      role text not null check (role in ('call_taker', 'stop_payment_officer', 'bank_liaison', 'telecom_liaison',
        'county_police', 'analyst', 'supervisor', 'wall', 'admin', 'auditor')),
      bank_code text,
      operator_code text check (operator_code in ('china_mobile', 'china_unicom', 'china_telecom', 'china_broadnet')),
      county_code text check (county_code ~ '^52[0-9]{4}$'),
      password_hash text not null,
      totp_secret_enc text,
      totp_pending_enc text,
      totp_last_step bigint not null default 0,
      is_disabled boolean not null default false,
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      -- A scoped role is bound to exactly its one scope; other roles to none.
      check ((role = 'bank_liaison') = (bank_code is not null)),
      check ((role = 'telecom_liaison') = (operator_code is not null)),
      check ((role = 'county_police') = (county_code is not null))
    )`.execute(db);

  // Failures are counted per typed username, whether or not such a user exists, so that the answer
  // (and the lock-out) never tells an attacker which accounts are real.
  await sql`
    create table sign_in_throttle (
      username text primary key,
      failures integer not null default 0,
      window_started_at timestamptz not null,
      locked_until timestamptz
    )`.execute(db);

  await sql`
    create table auth_challenge (
      id_hash text primary key,
      user_id uuid not null references app_user (id),
      kind text not null check (kind in ('totp', 'enrol_totp')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      attempts integer not null default 0,
      used_at timestamptz
    )`.execute(db);

  await sql`
    create table session (
      id_hash text primary key,
      user_id uuid not null references app_user (id),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      idle_expires_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      client_ip text,
      user_agent text
    )`.execute(db);
  await sql`create index session_by_user on session (user_id)`.execute(db);

  await sql`
    create table audit_entry (
      id bigserial primary key,
      seq bigint unique,
      at timestamptz not null,
      user_id uuid,
      username text,
      role text,
      action text not null check (action ~ '^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$'),
      object_type text,
      object_id text,
      result text not null check (result in ('success', 'failure', 'denied')),
      request_id text,
      details jsonb not null default '{}',
      prev_hash text,
      hash text,
      check ((seq is null) = (hash is null) and (seq is null) = (prev_hash is null))
    )`.execute(db);
  await sql`create index audit_entry_unsealed on audit_entry (id) where seq is null`.execute(db);

  // The chain's head, kept apart so that cutting entries off the end of the chain is also detected.
  await sql`
    create table audit_head (
      id boolean primary key default true check (id),
      seq bigint not null,
      hash text not null
    )`.execute(db);

  // Audit rows are append-only: nothing may change or remove them. The one update allowed is sealing an
  // entry into the chain (setting seq, prev_hash and hash once, with every other column unchanged).
  await sql`
    create function audit_entry_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.seq is null and old.hash is null and new.seq is not null
         and (new.id, new.at, new.user_id, new.username, new.role, new.action, new.object_type,
              new.object_id, new.result, new.request_id, new.details)
             is not distinct from
             (old.id, old.at, old.user_id, old.username, old.role, old.action, old.object_type,
              old.object_id, old.result, old.request_id, old.details) then
        return new;
      end if;
      raise exception 'audit entries are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger audit_entry_append_only before update or delete on audit_entry
    for each row execute function audit_entry_guard()`.execute(db);
  await sql`
    create function audit_entry_no_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'audit entries are append-only (TRUNCATE refused)' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`
    create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_no_truncate()`.execute(db);
}

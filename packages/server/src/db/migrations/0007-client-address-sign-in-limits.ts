import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Audit entries record where a request came from; sign-in failures are counted per username, per client
// address and per pair of both, so that guessing from one address cannot lock a user out everywhere.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_entry add column client_address text`.execute(db);
  // The append-only guard of 0002, now also keeping the address unchanged when an entry is sealed.
  await sql`
    create or replace function audit_entry_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.seq is null and old.hash is null and new.seq is not null
         and (new.id, new.at, new.user_id, new.username, new.role, new.action, new.object_type,
              new.object_id, new.result, new.request_id, new.details, new.client_address)
             is not distinct from
             (old.id, old.at, old.user_id, old.username, old.role, old.action, old.object_type,
              old.object_id, old.result, old.request_id, old.details, old.client_address) then
        return new;
      end if;
      raise exception 'audit entries are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);

  // One row per counted key: scope 'pair' (username and address), 'address' or 'username'.
  // sign_in_throttle (0002) is no longer written; processes of the previous version still read it
  // during a rolling upgrade, so it stays.
  await sql`
    create table sign_in_limit (
      scope text not null check (scope in ('pair', 'address', 'username')),
      key text not null,
      failures integer not null,
      window_started_at timestamptz not null,
      locked_until timestamptz,
      primary key (scope, key)
    )`.execute(db);
}

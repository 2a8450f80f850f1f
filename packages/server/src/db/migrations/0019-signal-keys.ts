import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Credentials for the systems that send signals over HTTPS without being a bank: an operator's (its
// calls, SMS, URL visits and app installs) or an upstream centre's (its decided warnings). Each is bound to
// one sender — the batches' source comes from here, never from a body — with the Ed25519 public key that
// verifies its signed batches. Only the key's hash is kept.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table signal_key (
      id uuid primary key,
      key_hash text not null unique,
      name text not null,
      sender_kind text not null check (sender_kind in ('operator', 'upstream')),
      sender_code text not null check (sender_code ~ '^[a-z0-9][a-z0-9_-]{1,31}$'),
      public_key_pem text not null,
      created_at timestamptz not null,
      created_by uuid references app_user (id),
      revoked_at timestamptz
    )`.execute(db);
}

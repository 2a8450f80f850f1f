import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Signed checkpoints of the audit chain: every so often the worker signs the chain's head (its position and
// hash) with a key of its own, derived from the secret key under another label than the instruction-signing
// key. An auditor who keeps the checkpoints (and the public key) can later tell whether the trail still
// reaches each signed head — a trail rewritten and re-chained consistently does not.
//
// And the hash algorithm of each sealed entry (FANZHA_CRYPTO): null for the SHA-256 of the entries sealed
// before, so that a trail begun under SHA-256 and continued under SM3 verifies entry by entry. Sealing sets it
// with seq, prev_hash and hash (the append-only guard compares the other columns only).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_entry add column hash_alg text check (hash_alg in ('sha256', 'sm3'))`.execute(
    db,
  );
  // The algorithm of each instruction's signature (null: Ed25519, signed before it was recorded).
  for (const table of ['stop_payment', 'bank_instruction'])
    await sql`alter table ${sql.table(table)} add column signature_alg text check (signature_alg in ('ed25519', 'sm2'))`.execute(
      db,
    );
  // The public keys checkpoints were signed with: a key stays here after a rotation, for older checkpoints.
  await sql`
    create table audit_checkpoint_key (
      key_id text primary key,
      algorithm text not null,
      public_key_pem text not null,
      first_used_at timestamptz not null
    )`.execute(db);
  // Keyed by the chain position signed: two processes signing the same head write one row.
  await sql`
    create table audit_checkpoint (
      seq bigint primary key check (seq > 0),
      entry_id bigint not null,
      head_hash text not null,
      entry_count bigint not null check (entry_count = seq),
      at timestamptz not null,
      algorithm text not null,
      key_id text not null references audit_checkpoint_key (key_id),
      signature text not null
    )`.execute(db);
  // Append-only, as the entries: a checkpoint is evidence, never edited or removed by the application.
  await sql`
    create function audit_checkpoint_guard() returns trigger language plpgsql as $$
    begin
      raise exception 'audit checkpoints are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  for (const table of ['audit_checkpoint', 'audit_checkpoint_key']) {
    await sql`
      create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function audit_checkpoint_guard()`.execute(db);
    await sql`
      create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function audit_checkpoint_guard()`.execute(db);
  }
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Screening's dead letters: a signal batch (or one signal in it) that could not be read, with the reason
// and a bounded excerpt, for an operator to inspect; pruned by age. `dedupe_key` (a hash of the batch as
// received and the signal's place in it) makes a batch delivered again, or sent again, keep each once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table signal_dead_letter (
      id bigint generated always as identity primary key,
      received_at timestamptz not null,
      via text not null check (via in ('nats', 'http', 'in_process')),
      kind text,
      source text,
      signal_id text,
      problems jsonb not null,
      excerpt text not null check (length(excerpt) <= 1000),
      dedupe_key text not null unique
    )`.execute(db);
  await sql`create index signal_dead_letter_received on signal_dead_letter (received_at)`.execute(db);
}

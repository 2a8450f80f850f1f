import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The personal fields (table.column) whose values written before encryption have all been sealed: a start
// checks only the fields not listed here, so a province's tables are not scanned again at every start. A
// field added to the personal data later (with older plaintext values) is not listed, and is sealed once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table field_seal_pass (
      place text primary key,
      completed_at timestamptz not null
    )`.execute(db);
}

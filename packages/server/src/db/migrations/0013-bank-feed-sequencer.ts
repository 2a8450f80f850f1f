import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// A bank's feed is numbered after the change commits, by one short transaction that numbers every pending
// change at once, instead of by each writer under a lock held to its commit (which made every answer naming
// the same bank wait for the one before). A change is `pending` until numbered; a new instruction has no
// number until then, a changed one keeps its old number.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table bank_instruction alter column seq drop not null`.execute(db);
  await sql`alter table bank_instruction add column pending boolean not null default false`.execute(db);
  await sql`
    alter table bank_instruction add constraint bank_instruction_numbered check (pending or seq is not null)`.execute(
    db,
  );
  await sql`create index bank_instruction_pending on bank_instruction (bank_code) where pending`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Events some consumers committed through a handle without the field keys (the wall's, indicators', case
// linker's, money graph's and others', before they shared the server's keyed handle) sit in the outbox as
// plain JSON, though the start-up pass had listed the outbox as sealed. Taken off that list, the next start
// seals what is left of them (the outbox keeps 8 days of events, so the pass is bounded); the pass lists it
// again when done.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from field_seal_pass where place = 'outbox.envelope'`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// An import's chunk is no longer staged: the merge takes its rows as arrays in the statement that creates the
// new indicators and credits them (staging by COPY wrote every row twice more — into the stage and out of it
// — and was slower: see docs/indicator-exchange.md). Rows left in the stage were never merged and are sent
// again by their client.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists indicator_import_stage`.execute(db);
}

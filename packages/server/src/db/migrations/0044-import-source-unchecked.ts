import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// An import's provenance rows (`indicator_import_source`) name their indicator without a foreign key, as they
// already name their import: only the import's merge writes them, with ids it has just read from or written to
// `indicator` in the same transaction, and indicators are never deleted (a merged one stays, marked). The
// per-row check cost a fifth of a chunk's merge (see docs/indicator-exchange.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table indicator_import_source drop constraint indicator_import_source_indicator_id_fkey`.execute(
    db,
  );
}

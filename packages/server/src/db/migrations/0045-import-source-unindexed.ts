import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// An import's provenance rows (`indicator_import_source`) lose their index on the import: no query reads them
// by import (they are read by indicator, through the primary key), and the index cost one more write per row
// imported (see docs/indicator-exchange.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists indicator_import_source_by_import`.execute(db);
}

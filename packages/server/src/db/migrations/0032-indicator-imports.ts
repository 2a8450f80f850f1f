import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Indicator exchange: files of indicators from other centres and platforms, loaded by `fanzha indicators
// import` (see docs/indicator-exchange.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  // One import: a file from an origin (a source centre, or the file's name), who loaded it, and its counts.
  await sql`
    create table indicator_import (
      id uuid primary key,
      origin text not null,
      file_name text not null,
      note text not null default '',
      -- The file's header: its columns in order, as checked at the start.
      columns text not null,
      created_by uuid,
      created_at timestamptz not null,
      finished_at timestamptz,
      rows_read bigint not null default 0,
      rows_rejected bigint not null default 0,
      indicators_created bigint not null default 0,
      sources_added bigint not null default 0
    )`.execute(db);
  // Provenance of imported indicators: once per (indicator, origin), so a file loaded again (or a chunk
  // sent again) adds nothing. What the origin said of it: risk, first and last seen, note. `import_id` names
  // the import without a foreign key: only the merge writes these rows, in a transaction holding the
  // import's row locked, and a per-row check of it cost a third of the merge's time.
  await sql`
    create table indicator_import_source (
      indicator_id bigint not null references indicator (id),
      origin text collate "C" not null,
      import_id uuid not null,
      line integer not null,
      risk_level text check (risk_level in ('low', 'medium', 'high')),
      first_seen_at timestamptz,
      last_seen_at timestamptz,
      note text not null default '',
      seen_at timestamptz not null,
      primary key (indicator_id, origin)
    )`.execute(db);
  await sql`create index indicator_import_source_by_import on indicator_import_source (import_id)`.execute(
    db,
  );
  // Rows of a chunk on their way in: written by COPY (PostgreSQL) or one insert (embedded), merged into the
  // registry by one statement per table, and deleted in the merge's transaction. Unlogged: a crash loses
  // only rows not yet merged, which the client sends again.
  await sql`
    create unlogged table indicator_import_stage (
      import_id uuid not null,
      chunk integer not null,
      line integer not null,
      kind text not null,
      value text collate "C" not null,
      risk_level text,
      first_seen_at timestamptz,
      last_seen_at timestamptz,
      note text not null
    )`.execute(db);
  await sql`create index indicator_import_stage_chunk on indicator_import_stage (import_id, chunk)`.execute(
    db,
  );
}

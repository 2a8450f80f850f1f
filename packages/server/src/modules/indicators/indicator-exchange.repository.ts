import type { ImportedIndicator } from '@fanzha/domain';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, IndicatorImportTable } from '../../db/schema';
import { indicatorColumns } from './indicators.repository';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type IndicatorImportRow = Selectable<IndicatorImportTable>;

const importColumns = [
  'id',
  'origin',
  'file_name',
  'note',
  'columns',
  'created_by',
  'created_at',
  'finished_at',
  'rows_read',
  'rows_rejected',
  'indicators_created',
  'sources_added',
] as const;

/** The staging table's columns, in COPY's order. */
export const stageColumns = [
  'import_id',
  'chunk',
  'line',
  'kind',
  'value',
  'risk_level',
  'first_seen_at',
  'last_seen_at',
  'note',
] as const;

export interface StagedRow extends ImportedIndicator {
  line: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const num = (r: IndicatorImportRow): IndicatorImportRow => ({
  ...r,
  rows_read: Number(r.rows_read),
  rows_rejected: Number(r.rows_rejected),
  indicators_created: Number(r.indicators_created),
  sources_added: Number(r.sources_added),
});

/** The imports' SQL: one statement per table for a whole chunk, whatever its size. */
export const exchangeRepository = {
  async createImport(
    db: Db,
    row: Omit<
      IndicatorImportRow,
      'finished_at' | 'rows_read' | 'rows_rejected' | 'indicators_created' | 'sources_added'
    >,
  ) {
    await db.insertInto('indicator_import').values(row).execute();
  },

  async getImport(db: Db, id: string, lock = false): Promise<IndicatorImportRow | undefined> {
    let q = db.selectFrom('indicator_import').select(importColumns).where('id', '=', id);
    if (lock) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row && num(row);
  },

  /** Adds a chunk's counts to an import not finished; none (`undefined`) if it was finished meanwhile. */
  async addCounts(
    trx: Trx,
    id: string,
    d: { read: number; rejected: number; created: number; added: number },
  ): Promise<IndicatorImportRow | undefined> {
    const row = await trx
      .updateTable('indicator_import')
      .set((eb) => ({
        rows_read: eb('rows_read', '+', d.read),
        rows_rejected: eb('rows_rejected', '+', d.rejected),
        indicators_created: eb('indicators_created', '+', d.created),
        sources_added: eb('sources_added', '+', d.added),
      }))
      .where('id', '=', id)
      .where('finished_at', 'is', null)
      .returning(importColumns)
      .executeTakeFirst();
    return row && num(row);
  },

  async finish(trx: Trx, id: string, unreadable: number, at: Date): Promise<IndicatorImportRow> {
    const row = await trx
      .updateTable('indicator_import')
      .set((eb) => ({
        rows_read: eb('rows_read', '+', unreadable),
        rows_rejected: eb('rows_rejected', '+', unreadable),
        finished_at: at,
      }))
      .where('id', '=', id)
      .returning(importColumns)
      .executeTakeFirstOrThrow();
    return num(row);
  },

  /** The embedded path: a chunk's rows staged by one insert (arrays through `unnest`). */
  async stage(trx: Trx, importId: string, chunk: number, rows: StagedRow[]) {
    if (rows.length === 0) return;
    await sql`
      insert into indicator_import_stage (${sql.join(stageColumns.map((c) => sql.ref(c)))})
      select ${importId}::uuid, ${chunk}::integer, v.* from unnest(
        ${rows.map((r) => r.line)}::integer[],
        ${rows.map((r) => r.kind)}::text[],
        ${rows.map((r) => r.value)}::text[],
        ${rows.map((r) => r.risk)}::text[],
        ${rows.map((r) => iso(r.firstSeen))}::timestamptz[],
        ${rows.map((r) => iso(r.lastSeen))}::timestamptz[],
        ${rows.map((r) => r.note)}::text[]
      ) as v`.execute(trx);
  },

  /**
   * Merges a staged chunk into the registry, in the caller's transaction: the indicators not yet known are
   * created (in key order, as the consumer does), each row's indicator credited to the origin once
   * (`on conflict do nothing`: a file or chunk loaded again adds nothing), and an indicator already known
   * takes the higher risk and the wider first/last seen of the new sources. A value repeated within the chunk
   * counts by its first line. Returns the ids of the indicators created and of those changed, and how many
   * sources were added; the chunk's staged rows are deleted (by the same statement).
   *
   * Two chunks may merge at once (on two connections): each takes its locks in one order — new indicators
   * created in key order, sources added in indicator order, known indicators locked in id order before they
   * are raised — and a deadlock left is the caller's to run again.
   *
   * Only ids come back (not whole rows): the chunk's event names them and whoever needs more reads them.
   * Staged rows find their indicator by one index probe each (`offset 0` keeps the lateral look-up from
   * being turned into a hash join that would read the whole registry for every chunk).
   */
  async mergeChunk(
    trx: Trx,
    m: { importId: string; chunk: number; origin: string; now: Date },
  ): Promise<{ created: number[]; changed: number[]; added: number }> {
    const created = await sql<{ id: string }>`
      insert into indicator as i (kind, value, risk_level, first_seen_at, last_seen_at, created_at, updated_at)
      select s.kind, s.value, coalesce(s.risk_level, 'low'),
        coalesce(s.first_seen_at, s.last_seen_at, ${m.now}), coalesce(s.last_seen_at, s.first_seen_at, ${m.now}),
        ${m.now}, ${m.now}
      from (
        select distinct on (kind, value) kind, value, risk_level, first_seen_at, last_seen_at
        from indicator_import_stage
        where import_id = ${m.importId} and chunk = ${m.chunk}
        order by kind, value, line
      ) s
      order by s.kind, s.value
      on conflict (kind, value) do nothing
      returning i.id`.execute(trx);
    // The sources added, and what they raise of indicators known before (those just created already hold it).
    const merged = await sql<{ added: number; changed: string[] | null }>`
      with staged as (
        select distinct on (kind, value) kind, value, line, risk_level, first_seen_at, last_seen_at, note
        from indicator_import_stage
        where import_id = ${m.importId} and chunk = ${m.chunk}
        order by kind, value, line
      ),
      added as (
        insert into indicator_import_source
          (indicator_id, origin, import_id, line, risk_level, first_seen_at, last_seen_at, note, seen_at)
        select f.id, ${m.origin}, ${m.importId}::uuid, s.line, s.risk_level,
          s.first_seen_at, s.last_seen_at, s.note, ${m.now}
        from staged s
        cross join lateral (
          select i.id from indicator i where i.kind = s.kind and i.value = s.value offset 0
        ) f
        order by f.id
        on conflict (indicator_id, origin) do nothing
        returning indicator_id, risk_level, first_seen_at, last_seen_at
      ),
      raising as (
        select a.indicator_id, a.risk_level, coalesce(a.first_seen_at, a.last_seen_at) as first_seen_at,
          coalesce(a.last_seen_at, a.first_seen_at) as last_seen_at
        from added a
        where a.risk_level in ('medium', 'high') or a.first_seen_at is not null or a.last_seen_at is not null
      ),
      -- Rows to raise are locked in id order first: two chunks merging at once take them in the same order.
      -- Found through the primary key by the array of their ids (a join could scan the whole registry).
      locked as (
        select i.id from indicator i where i.id = any(array(select indicator_id from raising))
        order by i.id for update
      ),
      raised as (
        update indicator i set
          risk_level = case
            when array_position(array['low', 'medium', 'high'], r.risk_level)
              > array_position(array['low', 'medium', 'high'], i.risk_level) then r.risk_level
            else i.risk_level end,
          first_seen_at = least(i.first_seen_at, r.first_seen_at),
          last_seen_at = greatest(i.last_seen_at, r.last_seen_at),
          updated_at = ${m.now}
        from raising r join locked l on l.id = r.indicator_id
        where i.id = r.indicator_id and (
          array_position(array['low', 'medium', 'high'], r.risk_level)
            > array_position(array['low', 'medium', 'high'], i.risk_level)
          or r.first_seen_at < i.first_seen_at
          or r.last_seen_at > i.last_seen_at)
        returning i.id
      ),
      cleared as (
        delete from indicator_import_stage where import_id = ${m.importId} and chunk = ${m.chunk}
      )
      select (select count(*)::integer from added) as added, (select array_agg(id order by id) from raised) as changed
    `.execute(trx);
    const row = merged.rows[0];
    return {
      created: created.rows.map((r) => Number(r.id)),
      changed: (row?.changed ?? []).map(Number),
      added: Number(row?.added ?? 0),
    };
  },

  /** Newly created indicators count as active in the per-status tally. */
  async addActive(trx: Trx, n: number) {
    if (n === 0) return;
    await sql`update indicator_tally set n = n + ${n} where status = 'active'`.execute(trx);
  },

  /** A page of the export: every indicator in id order, after `afterId`. */
  exportPage(db: Db, afterId: number, limit: number) {
    return db
      .selectFrom('indicator')
      .select(indicatorColumns)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit);
  },

  /** What the origins said of these indicators: each one's notes, joined (the export's note column). */
  async importNotes(db: Db, ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('indicator_import_source')
      .select(['indicator_id', 'origin', 'note'])
      .where('indicator_id', 'in', ids)
      .orderBy('indicator_id')
      .orderBy('origin')
      .execute();
    const notes = new Map<number, string>();
    for (const r of rows) {
      const text = r.note === '' ? r.origin : `${r.origin}: ${r.note}`;
      const id = Number(r.indicator_id);
      notes.set(id, notes.has(id) ? `${notes.get(id)}; ${text}` : text);
    }
    return notes;
  },
};

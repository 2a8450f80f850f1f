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

export interface StagedRow extends ImportedIndicator {
  line: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A chunk's rows as the body of a `with` query, one row per line (`line, kind, value, risk_level,
 * first_seen_at, last_seen_at, note`): arrays through `unnest`, one parameter per column whatever the chunk's
 * size (the statement's text stays the same, so it is prepared once per connection).
 */
function chunkRows(rows: StagedRow[]) {
  return sql`
    select v.line, v.kind, v.value collate "C" as value, v.risk_level, v.first_seen_at, v.last_seen_at, v.note
    from unnest(
      ${rows.map((r) => r.line)}::integer[],
      ${rows.map((r) => r.kind)}::text[],
      ${rows.map((r) => r.value)}::text[],
      ${rows.map((r) => r.risk)}::text[],
      ${rows.map((r) => iso(r.firstSeen))}::timestamptz[],
      ${rows.map((r) => iso(r.lastSeen))}::timestamptz[],
      ${rows.map((r) => r.note)}::text[]
    ) as v(line, kind, value, risk_level, first_seen_at, last_seen_at, note)`;
}

const num = (r: IndicatorImportRow): IndicatorImportRow => ({
  ...r,
  rows_read: Number(r.rows_read),
  rows_rejected: Number(r.rows_rejected),
  indicators_created: Number(r.indicators_created),
  sources_added: Number(r.sources_added),
});

export interface NewRowsMerge {
  importId: string;
  origin: string;
  now: Date;
  rows: StagedRow[];
}

/**
 * Runs a chunk's statement with hash joins only. The planner cannot know the size of a chunk (an `unnest`
 * of parameters is guessed at a hundred rows, and a prepared statement's generic plan knows nothing) and would join the created ids to their
 * rows by a nested loop: 25 million comparisons for a chunk of 5,000.
 */
async function withHashJoins<T>(trx: Trx, run: () => Promise<T>): Promise<T> {
  await sql`set local enable_nestloop = off`.execute(trx);
  const out = await run();
  await sql`set local enable_nestloop to default`.execute(trx);
  return out;
}

/** `mergeNew`'s one statement. */
function mergeNewStatement(m: NewRowsMerge) {
  return sql<{ created: string[] | null; added: number; known: number[] | null }>`
      with incoming as (${chunkRows(m.rows)}),
      staged as (
        select distinct on (kind, value) line, kind, value, risk_level, first_seen_at, last_seen_at, note
        from incoming
        order by kind, value, line
      ),
      created as (
        insert into indicator as i (kind, value, risk_level, first_seen_at, last_seen_at, created_at, updated_at)
        select s.kind, s.value, coalesce(s.risk_level, 'low'),
          coalesce(s.first_seen_at, s.last_seen_at, ${m.now}), coalesce(s.last_seen_at, s.first_seen_at, ${m.now}),
          ${m.now}, ${m.now}
        from staged s
        order by s.kind, s.value
        on conflict (kind, value) do nothing
        returning i.id, i.kind, i.value
      ),
      added as (
        insert into indicator_import_source
          (indicator_id, origin, import_id, line, risk_level, first_seen_at, last_seen_at, note, seen_at)
        select c.id, ${m.origin}, ${m.importId}::uuid, s.line, s.risk_level,
          s.first_seen_at, s.last_seen_at, s.note, ${m.now}
        from created c join staged s on s.kind = c.kind and s.value = c.value
        order by c.id
        returning 1
      )
      select
        (select array_agg(id order by id) from created) as created,
        (select count(*)::integer from added) as added,
        (select array_agg(s.line order by s.line) from staged s
          where not exists (select 1 from created c where c.kind = s.kind and c.value = s.value)) as known`;
}

/** The imports' SQL: a chunk merged by one statement (two when it names known values), whatever its size. */
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

  /**
   * Creates a chunk's indicators not yet known and credits each to the origin, in one statement and the
   * caller's transaction: the rows come in hand (arrays through `unnest`: nothing is staged), a value repeated
   * within the chunk counts by its first line, the new indicators are created in key order (as the consumer does) and their provenance
   * written from the ids the insert returns — a first load reads nothing of the registry back. Returns the
   * ids created, the sources added, and the lines of values not created (known before, or created meanwhile
   * by another chunk): those are for `mergeKnown`.
   */
  async mergeNew(trx: Trx, m: NewRowsMerge): Promise<{ created: number[]; added: number; known: number[] }> {
    const result = await withHashJoins(trx, () => mergeNewStatement(m).execute(trx));
    const row = result.rows[0];
    return {
      created: (row?.created ?? []).map(Number),
      added: Number(row?.added ?? 0),
      known: (row?.known ?? []).map(Number),
    };
  },

  /** `mergeNew`'s plan, as it would run (for its query-plan test): nothing is changed. */
  async mergeNewPlan(trx: Trx, m: NewRowsMerge): Promise<string> {
    const plan = await withHashJoins(trx, () =>
      sql<{ 'QUERY PLAN': string }>`explain ${mergeNewStatement(m)}`.execute(trx),
    );
    return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  },

  /**
   * Credits values already in the registry (`mergeNew`'s `known` lines, in hand) to the origin once each
   * (`on conflict do nothing`: a file or chunk loaded again adds nothing), and raises what the new sources
   * say of them: the higher risk, the wider first/last seen. Returns the ids changed and the sources added.
   *
   * Two chunks may merge at once (on two connections): each takes its locks in one order — sources added in
   * indicator order, known indicators locked in id order before they are raised — and a deadlock left is the
   * caller's to run again. Rows find their indicator by one index probe each (`offset 0` keeps the lateral
   * look-up from being turned into a hash join that would read the whole registry for every chunk).
   */
  async mergeKnown(
    trx: Trx,
    m: { importId: string; origin: string; now: Date; rows: StagedRow[] },
  ): Promise<{ changed: number[]; added: number }> {
    if (m.rows.length === 0) return { changed: [], added: 0 };
    const merged = await sql<{ added: number; changed: string[] | null }>`
      with staged as (${chunkRows(m.rows)}),
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
      )
      select (select count(*)::integer from added) as added, (select array_agg(id order by id) from raised) as changed
    `.execute(trx);
    const row = merged.rows[0];
    return { changed: (row?.changed ?? []).map(Number), added: Number(row?.added ?? 0) };
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

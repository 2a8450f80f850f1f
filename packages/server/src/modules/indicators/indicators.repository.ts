import type { IndicatorKind, IndicatorRiskLevel, IndicatorStatus } from '@fanzha/domain';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, IndicatorSourceTable, IndicatorTable } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type IndicatorRow = Selectable<IndicatorTable>;
export type IndicatorSourceRow = Selectable<IndicatorSourceTable>;

export const indicatorColumns = [
  'id',
  'kind',
  'value',
  'status',
  'risk_level',
  'report_count',
  'answer_count',
  'loss_fen',
  'first_seen_at',
  'last_seen_at',
  'last_reported_at',
  'hit_count',
  'created_at',
  'updated_at',
  'risk_score',
  'scored_at',
  'regrade_at',
  'decided_at',
  'merged_into',
] as const;

const sourceColumns = [
  'indicator_id',
  'source_kind',
  'source_id',
  'report_id',
  'report_number',
  'loss_fen',
  'seen_at',
] as const;

const iso = (d: Date) => d.toISOString();

/** An indicator's key: its kind and normal form. */
export interface IndicatorKey {
  kind: IndicatorKind;
  value: string;
}

/** A provenance row's key. */
export interface SourceKey {
  indicatorId: number;
  sourceKind: IndicatorSourceRow['source_kind'];
  sourceId: string;
}

/** A new indicator's first sighting. */
export interface NewIndicator extends IndicatorKey {
  at: Date;
}

/** What the consumer changes of an indicator; the rest stays. */
export interface IndicatorUpdate {
  id: number;
  status: IndicatorStatus;
  riskLevel: IndicatorRiskLevel;
  reportCount: number;
  answerCount: number;
  lossFen: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastReportedAt: Date | null;
  /** The score at `scoredAt` (the latest source's time), and when the level read off it next drops. */
  riskScore: number;
  scoredAt: Date | null;
  regradeAt: Date | null;
}

/**
 * The consumer's writes, each one statement for the whole batch (arrays through `unnest`, so a batch's
 * size never meets the limit on bound parameters).
 */
export const indicatorWrites = {
  /**
   * Creates the indicators not yet known, in key order (two workers creating the same ones take them in
   * the same order), and returns the ids of those created.
   */
  async insertMissing(trx: Trx, rows: NewIndicator[], now: Date): Promise<number[]> {
    if (rows.length === 0) return [];
    const sorted = [...rows].sort((a, b) =>
      a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1,
    );
    const created = await sql<{ id: number }>`
      insert into indicator (kind, value, first_seen_at, last_seen_at, created_at, updated_at)
      select v.kind, v.value, v.at, v.at, ${now}, ${now}
      from unnest(
        ${sorted.map((r) => r.kind)}::text[],
        ${sorted.map((r) => r.value)}::text[],
        ${sorted.map((r) => iso(r.at))}::timestamptz[]
      ) with ordinality as v(kind, value, at, n)
      order by v.n
      on conflict (kind, value) do nothing
      returning id`.execute(trx);
    return created.rows.map((r) => Number(r.id));
  },

  /** The indicators with these keys, locked in id order until the commit. */
  async lockByKeys(trx: Trx, keys: IndicatorKey[]): Promise<IndicatorRow[]> {
    if (keys.length === 0) return [];
    const rows = await sql<IndicatorRow>`
      select ${sql.join(indicatorColumns.map((c) => sql.ref(`i.${c}`)))}
      from indicator i
      join unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.value)}::text[]) as v(kind, value)
        on i.kind = v.kind and i.value = v.value collate "C"
      order by i.id
      for update of i`.execute(trx);
    return rows.rows.map(normaliseRow);
  },

  /** The indicators with these ids, locked in id order until the commit (merged ones' survivors). */
  async lockByIds(trx: Trx, ids: number[]): Promise<IndicatorRow[]> {
    if (ids.length === 0) return [];
    const rows = await trx
      .selectFrom('indicator')
      .select(indicatorColumns)
      .where('id', 'in', [...new Set(ids)])
      .orderBy('id')
      .forUpdate()
      .execute();
    return rows.map(normaliseRow);
  },

  /** Which of these provenance rows exist already, with the loss each counted. */
  async existingSources(trx: Trx, keys: SourceKey[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const rows = await sql<{
      indicator_id: number;
      source_kind: string;
      source_id: string;
      loss_fen: number;
    }>`
      select s.indicator_id, s.source_kind, s.source_id, s.loss_fen
      from indicator_source s
      join unnest(
        ${keys.map((k) => k.indicatorId)}::bigint[],
        ${keys.map((k) => k.sourceKind)}::text[],
        ${keys.map((k) => k.sourceId)}::uuid[]
      ) as v(indicator_id, source_kind, source_id)
        on s.indicator_id = v.indicator_id and s.source_kind = v.source_kind and s.source_id = v.source_id`.execute(
      trx,
    );
    return new Map(
      rows.rows.map((r) => [
        sourceKeyString({
          indicatorId: Number(r.indicator_id),
          sourceKind: r.source_kind as SourceKey['sourceKind'],
          sourceId: r.source_id,
        }),
        Number(r.loss_fen),
      ]),
    );
  },

  async insertSources(trx: Trx, rows: Array<Omit<IndicatorSourceRow, 'loss_fen'> & { loss_fen: number }>) {
    if (rows.length === 0) return;
    await sql`
      insert into indicator_source (indicator_id, source_kind, source_id, report_id, report_number, loss_fen, seen_at)
      select * from unnest(
        ${rows.map((r) => r.indicator_id)}::bigint[],
        ${rows.map((r) => r.source_kind)}::text[],
        ${rows.map((r) => r.source_id)}::uuid[],
        ${rows.map((r) => r.report_id)}::uuid[],
        ${rows.map((r) => r.report_number)}::text[],
        ${rows.map((r) => r.loss_fen)}::bigint[],
        ${rows.map((r) => iso(r.seen_at))}::timestamptz[]
      )
      on conflict (indicator_id, source_kind, source_id) do nothing`.execute(trx);
  },

  /** A report's loss changed after submission: the loss its provenance rows counted. */
  async updateSourceLosses(trx: Trx, rows: Array<SourceKey & { lossFen: number }>) {
    if (rows.length === 0) return;
    await sql`
      update indicator_source s set loss_fen = v.loss_fen
      from unnest(
        ${rows.map((r) => r.indicatorId)}::bigint[],
        ${rows.map((r) => r.sourceKind)}::text[],
        ${rows.map((r) => r.sourceId)}::uuid[],
        ${rows.map((r) => r.lossFen)}::bigint[]
      ) as v(indicator_id, source_kind, source_id, loss_fen)
      where s.indicator_id = v.indicator_id and s.source_kind = v.source_kind and s.source_id = v.source_id`.execute(
      trx,
    );
  },

  async updateIndicators(trx: Trx, rows: IndicatorUpdate[], now: Date): Promise<IndicatorRow[]> {
    if (rows.length === 0) return [];
    const updated = await sql<IndicatorRow>`
      update indicator i set
        status = v.status, risk_level = v.risk_level, report_count = v.report_count,
        answer_count = v.answer_count, loss_fen = v.loss_fen, first_seen_at = v.first_seen_at,
        last_seen_at = v.last_seen_at, last_reported_at = v.last_reported_at, risk_score = v.risk_score,
        scored_at = v.scored_at, regrade_at = v.regrade_at, updated_at = ${now}
      from unnest(
        ${rows.map((r) => r.id)}::bigint[],
        ${rows.map((r) => r.status)}::text[],
        ${rows.map((r) => r.riskLevel)}::text[],
        ${rows.map((r) => r.reportCount)}::integer[],
        ${rows.map((r) => r.answerCount)}::integer[],
        ${rows.map((r) => r.lossFen)}::bigint[],
        ${rows.map((r) => iso(r.firstSeenAt))}::timestamptz[],
        ${rows.map((r) => iso(r.lastSeenAt))}::timestamptz[],
        ${rows.map((r) => (r.lastReportedAt ? iso(r.lastReportedAt) : null))}::timestamptz[],
        ${rows.map((r) => r.riskScore)}::double precision[],
        ${rows.map((r) => (r.scoredAt ? iso(r.scoredAt) : null))}::timestamptz[],
        ${rows.map((r) => (r.regradeAt ? iso(r.regradeAt) : null))}::timestamptz[]
      ) as v(id, status, risk_level, report_count, answer_count, loss_fen, first_seen_at, last_seen_at,
        last_reported_at, risk_score, scored_at, regrade_at)
      where i.id = v.id
      returning ${sql.join(indicatorColumns.map((c) => sql.ref(`i.${c}`)))}`.execute(trx);
    return updated.rows.map(normaliseRow).sort((a, b) => a.id - b.id);
  },

  /** Adds screened hits to the indicators' counts, in id order (no event: the snapshot has no hit count). */
  async addHits(trx: Trx, hits: Map<number, number>) {
    const list = [...hits].filter(([id, n]) => Number.isSafeInteger(id) && n > 0).sort(([a], [b]) => a - b);
    if (list.length === 0) return;
    await sql`
      update indicator i set hit_count = i.hit_count + v.n
      from unnest(${list.map(([id]) => id)}::bigint[], ${list.map(([, n]) => n)}::bigint[]) as v(id, n)
      where i.id = v.id`.execute(trx);
  },

  /** Moves the per-status counts by the batch's changes (a new indicator counts +1 in its status). */
  async addToTally(trx: Trx, deltas: Map<IndicatorStatus, number>) {
    const moved = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
    if (moved.length === 0) return;
    await sql`
      update indicator_tally t set n = t.n + v.d
      from unnest(${moved.map(([s]) => s)}::text[], ${moved.map(([, d]) => d)}::bigint[]) as v(status, d)
      where t.status = v.status`.execute(trx);
  },
};

export const sourceKeyString = (k: SourceKey) => `${k.indicatorId}|${k.sourceKind}|${k.sourceId}`;

/** bigint columns read through `sql` come back as numbers on both engines; ids are made sure of here. */
export function normaliseRow(r: IndicatorRow): IndicatorRow {
  return {
    ...r,
    id: Number(r.id),
    report_count: Number(r.report_count),
    answer_count: Number(r.answer_count),
    loss_fen: Number(r.loss_fen),
    hit_count: Number(r.hit_count),
    risk_score: Number(r.risk_score),
    merged_into: r.merged_into === null ? null : Number(r.merged_into),
  };
}

/** Where a list starts: after an id (newest first) or after a normal form (in its order). */
export type ListFilter = {
  kind?: IndicatorKind;
  status?: IndicatorStatus;
  level?: IndicatorRiskLevel;
  limit: number;
} & (
  | { order: 'id'; afterId?: number }
  | { order: 'value'; kind: IndicatorKind; prefix: string; afterValue?: string }
);

/** The smallest string greater than every string starting with `prefix` (in the "C" collation's order). */
export function prefixEnd(prefix: string): string | undefined {
  const chars = [...prefix];
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      let next = last + 1;
      if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
      return chars.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/**
 * The reads, as query builders so that `indicators.queries.test.ts` can check each one's plan: none may scan
 * the table.
 */
export function indicatorQueries(db: Db) {
  return {
    list(f: ListFilter) {
      let q = db.selectFrom('indicator').select(indicatorColumns);
      if (f.status) q = q.where('status', '=', f.status);
      // No index of its own: the level is read off the id (or value, or status) order the page walks anyway.
      if (f.level) q = q.where('risk_level', '=', f.level);
      if (f.order === 'value') {
        q = q.where('kind', '=', f.kind).where('value', '>=', f.prefix);
        if (f.afterValue !== undefined) q = q.where('value', '>', f.afterValue);
        const end = prefixEnd(f.prefix);
        if (end !== undefined) q = q.where('value', '<', end);
        return q.orderBy('kind').orderBy('value').limit(f.limit);
      }
      if (f.kind) q = q.where('kind', '=', f.kind);
      if (f.afterId !== undefined) q = q.where('id', '<', f.afterId);
      return f.status
        ? q.orderBy('status').orderBy('id', 'desc').limit(f.limit)
        : q.orderBy('id', 'desc').limit(f.limit);
    },
    byId(id: number) {
      return db.selectFrom('indicator').select(indicatorColumns).where('id', '=', id);
    },
    byKey(kind: IndicatorKind, value: string) {
      return db
        .selectFrom('indicator')
        .select(indicatorColumns)
        .where('kind', '=', kind)
        .where('value', '=', value);
    },
    /**
     * The records of these values of one kind, by exact normal form (the public lookup and banks' payee
     * checks): the columns a level is judged on, nothing else — a merged value's survivor's beside its own,
     * through its primary key, so a merge is resolved in the same read.
     */
    byValues(kind: IndicatorKind, values: readonly string[]) {
      return db
        .selectFrom('indicator as i')
        .leftJoin('indicator as s', 's.id', 'i.merged_into')
        .select([
          'i.value',
          'i.status',
          'i.risk_level',
          'i.risk_score',
          'i.scored_at',
          'i.regrade_at',
          's.status as survivor_status',
          's.risk_level as survivor_risk_level',
          's.risk_score as survivor_risk_score',
          's.scored_at as survivor_scored_at',
          's.regrade_at as survivor_regrade_at',
        ])
        .where('i.kind', '=', kind)
        .where('i.value', 'in', values.length > 0 ? [...values] : [''])
        .orderBy('i.kind')
        .orderBy('i.value');
    },
    sources(indicatorId: number, limit: number) {
      return db
        .selectFrom('indicator_source')
        .select(sourceColumns)
        .where('indicator_id', '=', indicatorId)
        .orderBy('indicator_id')
        .orderBy('seen_at', 'desc')
        .limit(limit);
    },
    sourceCount(indicatorId: number) {
      return db
        .selectFrom('indicator_source')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('indicator_id', '=', indicatorId);
    },
    /** The matcher's load at start: active indicators in id order. */
    activePage(afterId: number, limit: number) {
      return db
        .selectFrom('indicator')
        .select(indicatorColumns)
        .where('status', '=', 'active')
        .where('id', '>', afterId)
        .orderBy('status')
        .orderBy('id')
        .limit(limit);
    },
    many(ids: number[]) {
      return db
        .selectFrom('indicator')
        .select(indicatorColumns)
        .where('id', 'in', ids.length > 0 ? ids : [0])
        .orderBy('id');
    },
    tally() {
      return db.selectFrom('indicator_tally').select(['status', 'n']);
    },
  };
}

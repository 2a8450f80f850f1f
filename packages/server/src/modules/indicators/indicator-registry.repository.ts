import type { IndicatorRiskLevel, IndicatorStatus } from '@fanzha/domain';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, IndicatorDecisionTable } from '../../db/schema';
import { indicatorColumns, normaliseRow, type IndicatorRow } from './indicators.repository';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type IndicatorDecisionRow = Selectable<IndicatorDecisionTable>;

const decisionColumns = [
  'id',
  'indicator_id',
  'action',
  'from_status',
  'to_status',
  'reason',
  'other_indicator_id',
  'actor_user_id',
  'actor_name',
  'operator_code',
  'decided_at',
] as const;

const iso = (d: Date) => d.toISOString();

/** A quiet indicator regraded: its score decayed to now, the level read off it and its next drop. */
export interface Regraded {
  id: number;
  riskLevel: IndicatorRiskLevel;
  riskScore: number;
  scoredAt: Date;
  regradeAt: Date | null;
}

/** What a decision sets on an indicator. */
export interface StatusChange {
  id: number;
  status: IndicatorStatus;
  /** Merged into this one (its counts go with its sources), or detached from its survivor (null). */
  mergedInto?: number | null;
}

/** What a merge leaves the survivor with, recounted from its sources. */
export interface Recount {
  id: number;
  reportCount: number;
  answerCount: number;
  lossFen: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastReportedAt: Date | null;
  hitCount: number;
  riskLevel: IndicatorRiskLevel;
  riskScore: number;
  scoredAt: Date | null;
  regradeAt: Date | null;
}

/** The registry's decisions and regrading: SQL only. */
export const registryRepository = {
  /**
   * Indicators whose level is due to drop, earliest first, through the partial index on `regrade_at`;
   * locked, skipping those another worker holds.
   */
  async lockDue(trx: Trx, now: Date, limit: number): Promise<IndicatorRow[]> {
    const rows = await trx
      .selectFrom('indicator')
      .select(indicatorColumns)
      .where('regrade_at', 'is not', null)
      .where('regrade_at', '<=', now)
      .orderBy('regrade_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    return rows.map(normaliseRow);
  },

  /** The regraded indicators, one statement; returns them as they stand. */
  async saveRegrades(trx: Trx, rows: Regraded[], now: Date): Promise<IndicatorRow[]> {
    if (rows.length === 0) return [];
    const changed = await sql<IndicatorRow>`
      update indicator i set
        risk_level = v.risk_level, risk_score = v.risk_score, scored_at = v.scored_at,
        regrade_at = v.regrade_at,
        updated_at = case when i.risk_level <> v.risk_level then ${now} else i.updated_at end
      from unnest(
        ${rows.map((r) => r.id)}::bigint[],
        ${rows.map((r) => r.riskLevel)}::text[],
        ${rows.map((r) => r.riskScore)}::double precision[],
        ${rows.map((r) => iso(r.scoredAt))}::timestamptz[],
        ${rows.map((r) => (r.regradeAt ? iso(r.regradeAt) : null))}::timestamptz[]
      ) as v(id, risk_level, risk_score, scored_at, regrade_at)
      where i.id = v.id
      returning ${sql.join(indicatorColumns.map((c) => sql.ref(`i.${c}`)))}`.execute(trx);
    return changed.rows.map(normaliseRow).sort((a, b) => a.id - b.id);
  },

  async setStatus(trx: Trx, c: StatusChange, now: Date): Promise<IndicatorRow> {
    const row = await trx
      .updateTable('indicator')
      .set({
        status: c.status,
        decided_at: now,
        updated_at: now,
        ...(c.mergedInto === null ? { merged_into: null } : {}),
        ...(c.mergedInto !== undefined && c.mergedInto !== null
          ? {
              merged_into: c.mergedInto,
              report_count: 0,
              answer_count: 0,
              loss_fen: 0,
              hit_count: 0,
              risk_score: 0,
              risk_level: 'low',
              regrade_at: null,
            }
          : {}),
      })
      .where('id', '=', c.id)
      .returning(indicatorColumns)
      .executeTakeFirstOrThrow();
    return normaliseRow(row);
  },

  async insertDecisions(trx: Trx, rows: IndicatorDecisionRow[]): Promise<void> {
    if (rows.length > 0) await trx.insertInto('indicator_decision').values(rows).execute();
  },

  /** An indicator's decisions, latest first. */
  history(db: Db, indicatorId: number, limit: number) {
    return db
      .selectFrom('indicator_decision')
      .select(decisionColumns)
      .where('indicator_id', '=', indicatorId)
      .orderBy('indicator_id')
      .orderBy('decided_at', 'desc')
      .limit(limit);
  },

  /**
   * Moves a merged indicator's provenance to the survivor: a source both already had (one report naming
   * both values) is kept once, on the survivor. Four statements, whatever the number of sources.
   */
  async moveSources(trx: Trx, from: number, to: number): Promise<void> {
    await sql`
      delete from indicator_source s
      using indicator_source t
      where s.indicator_id = ${from} and t.indicator_id = ${to}
        and t.source_kind = s.source_kind and t.source_id = s.source_id`.execute(trx);
    await sql`update indicator_source set indicator_id = ${to} where indicator_id = ${from}`.execute(trx);
    await sql`
      delete from indicator_import_source s
      using indicator_import_source t
      where s.indicator_id = ${from} and t.indicator_id = ${to} and t.origin = s.origin`.execute(trx);
    await sql`update indicator_import_source set indicator_id = ${to} where indicator_id = ${from}`.execute(
      trx,
    );
    // Indicators merged into the merged one before now name the survivor: one step, never a chain.
    await sql`update indicator set merged_into = ${to} where merged_into = ${from}`.execute(trx);
  },

  /** The survivor's sources, as the score and the counters are recomputed from them. */
  sourceFacts(db: Db, indicatorId: number) {
    return db
      .selectFrom('indicator_source')
      .select(['source_kind', 'loss_fen', 'seen_at'])
      .where('indicator_id', '=', indicatorId);
  },

  async saveRecount(trx: Trx, r: Recount, now: Date): Promise<IndicatorRow> {
    const row = await trx
      .updateTable('indicator')
      .set({
        report_count: r.reportCount,
        answer_count: r.answerCount,
        loss_fen: r.lossFen,
        first_seen_at: r.firstSeenAt,
        last_seen_at: r.lastSeenAt,
        last_reported_at: r.lastReportedAt,
        hit_count: r.hitCount,
        risk_level: r.riskLevel,
        risk_score: r.riskScore,
        scored_at: r.scoredAt,
        regrade_at: r.regradeAt,
        updated_at: now,
      })
      .where('id', '=', r.id)
      .returning(indicatorColumns)
      .executeTakeFirstOrThrow();
    return normaliseRow(row);
  },
};

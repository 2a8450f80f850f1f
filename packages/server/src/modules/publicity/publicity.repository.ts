import type { CampaignStatus } from '@fanzha/domain';
import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { DB, PublicityCampaignTable, PublicityReportTable } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type CountedReport = Selectable<PublicityReportTable>;
export type CampaignRow = Selectable<PublicityCampaignTable>;

/** One change of a weekly counter: the key and what to add (negative to take away). */
export interface Tally {
  week: string;
  county_code: string;
  fraud_type: string;
  age_band: string;
  reports: number;
  loss_fen: number;
}

const campaignColumns = [
  'id',
  'idempotency_key',
  'county_code',
  'fraud_type',
  'age_band',
  'target_text',
  'channel',
  'planned_on',
  'due_at',
  'status',
  'brief_week',
  'brief_reports',
  'brief_baseline',
  'reach',
  'note',
  'cancel_reason',
  'created_by',
  'created_at',
  'accepted_by',
  'accepted_at',
  'done_by',
  'done_at',
  'cancelled_by',
  'cancelled_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof PublicityCampaignTable>;

/** The SQL of publicity: its weekly rollup, what it counted of each report, and campaigns. */
export const publicityRepository = {
  /** What the rollup counted of these reports, locked for this batch (ids sorted: one lock order). */
  async lockCounted(trx: Trx, ids: readonly string[]): Promise<Map<string, CountedReport>> {
    if (ids.length === 0) return new Map();
    const list = [...ids].sort();
    // A placeholder row (week '') for a report not counted yet, so that two batches about one new report
    // queue on its row lock instead of both counting it; `saveCounted` removes the placeholders left.
    await trx
      .insertInto('publicity_report')
      .values(
        list.map((id) => ({
          report_id: id,
          week: '',
          county_code: '',
          fraud_type: '',
          age_band: 'unknown' as const,
          loss_fen: 0,
        })),
      )
      .onConflict((oc) => oc.column('report_id').doNothing())
      .execute();
    const rows = await trx
      .selectFrom('publicity_report')
      .select(['report_id', 'week', 'county_code', 'fraud_type', 'age_band', 'loss_fen'])
      .where('report_id', 'in', list)
      .orderBy('report_id')
      .forUpdate()
      .execute();
    return new Map(rows.filter((r) => r.week !== '').map((r) => [r.report_id, r]));
  },

  async saveCounted(trx: Trx, ids: string[], rows: CountedReport[], removed: string[]): Promise<void> {
    if (removed.length > 0)
      await trx.deleteFrom('publicity_report').where('report_id', 'in', removed).execute();
    if (ids.length > 0)
      await trx.deleteFrom('publicity_report').where('report_id', 'in', ids).where('week', '=', '').execute();
    if (rows.length === 0) return;
    await trx
      .insertInto('publicity_report')
      .values(rows)
      .onConflict((oc) =>
        oc.column('report_id').doUpdateSet((eb) => ({
          week: eb.ref('excluded.week'),
          county_code: eb.ref('excluded.county_code'),
          fraud_type: eb.ref('excluded.fraud_type'),
          age_band: eb.ref('excluded.age_band'),
          loss_fen: eb.ref('excluded.loss_fen'),
        })),
      )
      .execute();
  },

  /** Adds tallies to the weekly counters, in key order (one lock order across batches). */
  async addTallies(trx: Trx, tallies: Tally[]): Promise<void> {
    if (tallies.length === 0) return;
    const sorted = [...tallies].sort((a, b) =>
      `${a.week}|${a.county_code}|${a.fraud_type}|${a.age_band}`.localeCompare(
        `${b.week}|${b.county_code}|${b.fraud_type}|${b.age_band}`,
      ),
    );
    await trx
      .insertInto('publicity_week')
      .values(sorted.map((t) => ({ ...t, age_band: t.age_band as CountedReport['age_band'] })))
      .onConflict((oc) =>
        oc.columns(['week', 'county_code', 'fraud_type', 'age_band']).doUpdateSet({
          reports: sql`publicity_week.reports + excluded.reports`,
          loss_fen: sql`publicity_week.loss_fen + excluded.loss_fen`,
        }),
      )
      .execute();
  },

  /** The weekly counters of these weeks, of one county or all: an index range read per week. */
  weeks: (db: Db, weeks: string[], county?: string) => {
    let q = db
      .selectFrom('publicity_week')
      .select(['week', 'county_code', 'fraud_type', 'age_band', 'reports', 'loss_fen'])
      .where('week', 'in', weeks)
      .where('reports', '>', 0);
    if (county) q = q.where('county_code', '=', county);
    return q.execute();
  },

  /** One group's reports per week between two weeks (inclusive), for before/after. */
  groupWeeks: (
    db: Db,
    g: { county: string; fraudType: string | null; ageBand: string | null; from: string; to: string },
  ) => {
    let q = db
      .selectFrom('publicity_week')
      .select(['week', (eb) => eb.fn.sum<number>('reports').as('reports')])
      .where('county_code', '=', g.county)
      .where('week', '>=', g.from)
      .where('week', '<=', g.to);
    if (g.fraudType) q = q.where('fraud_type', '=', g.fraudType);
    if (g.ageBand) q = q.where('age_band', '=', g.ageBand as CountedReport['age_band']);
    return q.groupBy('week').execute();
  },

  /** A new campaign; none when its idempotency key was used before (the caller reads that one). */
  insertCampaign: async (trx: Trx, row: Insertable<PublicityCampaignTable>): Promise<boolean> => {
    const r = await trx
      .insertInto('publicity_campaign')
      .values(row)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  },

  byKey: (db: Db, key: string): Promise<CampaignRow | undefined> =>
    db
      .selectFrom('publicity_campaign')
      .select(campaignColumns)
      .where('idempotency_key', '=', key)
      .executeTakeFirst(),

  get: (db: Db, id: string): Promise<CampaignRow | undefined> =>
    db.selectFrom('publicity_campaign').select(campaignColumns).where('id', '=', id).executeTakeFirst(),

  lock: (trx: Trx, id: string): Promise<CampaignRow | undefined> =>
    trx
      .selectFrom('publicity_campaign')
      .select(campaignColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),

  set: (trx: Trx, id: string, patch: Updateable<PublicityCampaignTable>) =>
    trx.updateTable('publicity_campaign').set(patch).where('id', '=', id).execute(),

  /** Campaigns, latest planned first, by status and county where given. */
  list(db: Db, q: { statuses?: CampaignStatus[]; county?: string; limit: number }): Promise<CampaignRow[]> {
    let query = db.selectFrom('publicity_campaign').select(campaignColumns);
    if (q.statuses) query = query.where('status', 'in', q.statuses);
    if (q.county) query = query.where('county_code', '=', q.county);
    return query.orderBy('planned_on', 'desc').orderBy('created_at', 'desc').limit(q.limit).execute();
  },
};

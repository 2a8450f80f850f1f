import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** Every statement on `period_report`; nothing in it is personal (aggregates only), so nothing is sealed. */
const viewColumns = [
  'id',
  'kind',
  sql<string>`period_from::text`.as('period_from'),
  sql<string>`period_to::text`.as('period_to'),
  'county_code',
  'origin',
  'created_at',
  'created_by',
  sql<number>`octet_length(xlsx)`.as('xlsx_bytes'),
  sql<number>`octet_length(pdf)`.as('pdf_bytes'),
] as const;

export interface NewPeriodReport {
  id: string;
  kind: 'daily' | 'weekly' | 'monthly';
  period_from: string;
  period_to: string;
  county_code: string | null;
  origin: 'schedule' | 'demand';
  figures: string;
  xlsx: Uint8Array;
  pdf: Uint8Array;
  created_at: Date;
  created_by: string | null;
}

export const periodReportRepository = {
  /** A scheduled report is kept once per kind, period and scope: a second worker's insert does nothing. */
  async insert(db: Db, row: NewPeriodReport): Promise<boolean> {
    const r = await db
      .insertInto('period_report')
      .values(row)
      .onConflict((oc) =>
        oc
          .expression(sql`kind, period_from, coalesce(county_code, '')`)
          .where('origin', '=', 'schedule')
          .doNothing(),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  async isScheduled(db: Db, kind: string, from: string, county: string | null): Promise<boolean> {
    const r = await db
      .selectFrom('period_report')
      .select('id')
      .where('origin', '=', 'schedule')
      .where('kind', '=', kind as NewPeriodReport['kind'])
      .where('period_from', '=', from)
      .where(sql<string>`coalesce(county_code, '')`, '=', county ?? '')
      .executeTakeFirst();
    return r !== undefined;
  },

  list(db: Db, q: { kind?: string | undefined; county?: string | null | undefined; limit: number }) {
    let query = db
      .selectFrom('period_report')
      .select(viewColumns)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(q.limit);
    if (q.kind) query = query.where('kind', '=', q.kind as NewPeriodReport['kind']);
    if (q.county !== undefined)
      query =
        q.county === null
          ? query.where('county_code', 'is', null)
          : query.where('county_code', '=', q.county);
    return query.execute();
  },

  byId(db: Db, id: string) {
    return db
      .selectFrom('period_report')
      .select([...viewColumns, 'figures'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  file(db: Db, id: string, format: 'xlsx' | 'pdf') {
    return db
      .selectFrom('period_report')
      .select(['county_code', format === 'xlsx' ? 'xlsx as bytes' : 'pdf as bytes'])
      .where('id', '=', id)
      .executeTakeFirst();
  },
};
export type PeriodReportRow = Awaited<ReturnType<typeof periodReportRepository.list>>[number];

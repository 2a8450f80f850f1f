import { randomUUID } from 'node:crypto';
import type { AlertView } from '@fanzha/contracts';
import { sql, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { AlertTable, DB } from '../../db/schema';
import { openRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type AlertRow = Selectable<AlertTable>;
export type AlertSpec = Omit<AlertRow, 'id' | 'raised_at' | 'acknowledged_at' | 'acknowledged_by'>;

const alertColumns = [
  'id',
  'kind',
  'threshold',
  'level',
  'object_type',
  'object_id',
  'report_id',
  'county_code',
  'message',
  'due_at',
  'raised_at',
  'acknowledged_at',
  'acknowledged_by',
] as const satisfies ReadonlyArray<keyof AlertTable>;

/**
 * Stops still under their first 48 hours: not lapsed, not renewed, not frozen. A freeze sent to the bank in
 * time holds the stop until the bank confirms it; one the bank could not carry out does not.
 */
const openStops = (db: Db) =>
  db
    .selectFrom('stop_payment as s')
    .innerJoin('report as r', 'r.id', 's.report_id')
    .select([
      's.id',
      's.report_id',
      's.expires_at',
      's.stopped_at',
      's.bank_code',
      's.account_number',
      's.account_name',
      'r.number as report_number',
      'r.owning_county_code',
    ])
    .where('s.expires_at', 'is not', null)
    .where('s.lapsed_at', 'is', null)
    .where('s.renewed_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('account_freeze as f')
            .select('f.id')
            // A freeze is of its stop's report: naming the report lets the look-up use the per-report index
            // (the stop's own indexes cover only live freezes), instead of reading every freeze each sweep.
            .whereRef('f.report_id', '=', 's.report_id')
            .whereRef('f.stop_payment_id', '=', 's.id')
            .where('f.status', '<>', 'failed'),
        ),
      ),
    );

/** The row `ref` names has had no reminder of this kind at this threshold (the alert's unique key). */
const notReminded = (ref: 's.id' | 'f.id', kind: 'stop_lapsing' | 'freeze_ending', threshold: string) =>
  sql<SqlBool>`not exists (select 1 from alert as a
    where a.object_id = ${sql.ref(ref)} and a.kind = ${kind} and a.threshold = ${threshold})`;

const activeFreezes = (db: Db) =>
  db
    .selectFrom('account_freeze as f')
    .innerJoin('stop_payment as s', 's.id', 'f.stop_payment_id')
    .innerJoin('report as r', 'r.id', 'f.report_id')
    .select([
      'f.id',
      'f.report_id',
      'f.ends_at',
      's.id as stop_payment_id',
      's.bank_code',
      's.account_number',
      'r.owning_county_code',
    ])
    .where('f.status', '=', 'active');

/** The sweep's reads, as queries: what has reached a deadline, across the case's tables. */
export const sweepQueries = {
  /** Open stops whose 48 hours have passed. */
  dueLapses: (db: Db, now: Date, limit: number) =>
    openStops(db).where('s.expires_at', '<=', now).limit(limit),

  /** Open stops whose deadline falls in (after, until], not yet reminded at this threshold. */
  lapsingStops: (db: Db, window: { after: Date; until: Date; threshold: string }, limit: number) =>
    openStops(db)
      .where('s.expires_at', '>', window.after)
      .where('s.expires_at', '<=', window.until)
      .where(notReminded('s.id', 'stop_lapsing', window.threshold))
      .limit(limit),

  endedFreezes: (db: Db, now: Date, limit: number) =>
    activeFreezes(db).where('f.ends_at', '<=', now).limit(limit),

  /** Active freezes ending in (after, until], not yet reminded at this threshold. */
  endingFreezes: (db: Db, window: { after: Date; until: Date; threshold: string }, limit: number) =>
    activeFreezes(db)
      .where('f.ends_at', '>', window.after)
      .where('f.ends_at', '<=', window.until)
      .where(notReminded('f.id', 'freeze_ending', window.threshold))
      .limit(limit),

  /** Approved returns past their due date, not yet flagged. */
  overdueReturns: (db: Db, now: Date, limit: number) =>
    db
      .selectFrom('fund_decision as d')
      .innerJoin('report as r', 'r.id', 'd.report_id')
      .select(['d.id', 'd.report_id', 'd.due_at', 'd.amount_fen', 'r.owning_county_code'])
      .where('d.status', '=', 'approved')
      .where('d.kind', '=', 'return')
      .where('d.overdue_at', 'is', null)
      .where('d.due_at', '<=', now)
      .limit(limit),

  /** Live county tasks past their acceptance or answer deadline, not yet escalated for it. */
  overdueTasks: (db: Db, now: Date, limit: number) =>
    db
      .selectFrom('county_task as t')
      .select(['t.id', 't.report_id', 't.county_code', 't.status', 't.accept_due_at', 't.due_at'])
      .where('t.status', 'in', ['issued', 'accepted', 'contacted'])
      .where((eb) =>
        eb.or([
          eb.and([
            eb('t.status', '=', 'issued'),
            eb('t.accept_due_at', '<=', now),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('alert as a')
                  .select('a.id')
                  .whereRef('a.object_id', '=', 't.id')
                  .where('a.threshold', '=', 'accept'),
              ),
            ),
          ]),
          eb.and([
            eb('t.due_at', '<=', now),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('alert as a')
                  .select('a.id')
                  .whereRef('a.object_id', '=', 't.id')
                  .where('a.threshold', '=', 'answer'),
              ),
            ),
          ]),
        ]),
      )
      .limit(limit),
};

/** The windows a sweep at `now` looks into: the stops' reminders and the freezes' ending reminders. */
export interface SweepWindows {
  lapsing: Array<{ after: Date; until: Date; threshold: string }>;
  ending: Array<{ after: Date; until: Date; threshold: string }>;
}

/**
 * Which of the sweep's steps have anything to do at `now`, in one statement: each flag is an `exists` over the
 * step's own reads (the same queries, so the same indexes), and a step whose flag is false is not run. A sweep
 * that finds nothing due thus costs one round trip and no transaction, in every worker, every second.
 */
export const whatIsDue = (db: Db, now: Date, windows: SweepWindows) =>
  db.selectNoFrom((eb) => [
    eb.exists(sweepQueries.dueLapses(db, now, 1)).as('lapses'),
    eb.or(windows.lapsing.map((w) => eb.exists(sweepQueries.lapsingStops(db, w, 1)))).as('lapseReminders'),
    eb
      .or([
        eb.exists(sweepQueries.endedFreezes(db, now, 1)),
        ...windows.ending.map((w) => eb.exists(sweepQueries.endingFreezes(db, w, 1))),
      ])
      .as('freezes'),
    eb.exists(sweepQueries.overdueReturns(db, now, 1)).as('overdueReturns'),
    eb.exists(sweepQueries.overdueTasks(db, now, 1)).as('overdueTasks'),
  ]);

/** The sweep's reads run, and the alerts it keeps. The sweep changes other tables only through their owners. */
export const legalTimerRepository = {
  // The stops' account holders' names are encrypted at rest: opened here.
  dueLapses: async (trx: Trx, now: Date, limit: number) =>
    openRows(trx, 'stop_payment', await sweepQueries.dueLapses(trx, now, limit).execute()),
  lapsingStops: async (trx: Trx, window: { after: Date; until: Date; threshold: string }, limit: number) =>
    openRows(trx, 'stop_payment', await sweepQueries.lapsingStops(trx, window, limit).execute()),
  endedFreezes: (trx: Trx, now: Date, limit: number) => sweepQueries.endedFreezes(trx, now, limit).execute(),
  endingFreezes: (trx: Trx, window: { after: Date; until: Date; threshold: string }, limit: number) =>
    sweepQueries.endingFreezes(trx, window, limit).execute(),
  whatIsDue: (db: Db, now: Date, windows: SweepWindows) =>
    whatIsDue(db, now, windows).executeTakeFirstOrThrow(),
  overdueReturns: (trx: Trx, now: Date, limit: number) =>
    sweepQueries.overdueReturns(trx, now, limit).execute(),
  overdueTasks: (trx: Trx, now: Date, limit: number) => sweepQueries.overdueTasks(trx, now, limit).execute(),

  /** Inserts alerts once each (kind, object, threshold); returns only the new ones. */
  insertAlerts: (trx: Trx, specs: AlertSpec[], now: Date): Promise<AlertRow[]> =>
    specs.length === 0
      ? Promise.resolve([])
      : trx
          .insertInto('alert')
          .values(specs.map((s) => ({ ...s, id: randomUUID(), raised_at: now })))
          .onConflict((oc) => oc.columns(['kind', 'object_id', 'threshold']).doNothing())
          .returning(alertColumns)
          .execute(),

  /** Alerts newest first, narrowed to a county and to kinds where given. */
  listAlerts(
    db: Db,
    q: { isOpen: boolean; countyCode?: string; kinds?: Array<AlertRow['kind']>; limit: number },
  ): Promise<AlertRow[]> {
    let query = db.selectFrom('alert').select(alertColumns);
    if (q.isOpen) query = query.where('acknowledged_at', 'is', null);
    if (q.countyCode !== undefined) query = query.where('county_code', '=', q.countyCode);
    if (q.kinds) query = query.where('kind', 'in', q.kinds);
    return query.orderBy('raised_at', 'desc').limit(q.limit).execute();
  },

  /** Locks alerts in id order, so two acknowledgements of overlapping sets cannot deadlock. */
  lockAlerts: (trx: Trx, ids: string[]): Promise<AlertRow[]> =>
    trx.selectFrom('alert').select(alertColumns).where('id', 'in', ids).orderBy('id').forUpdate().execute(),

  acknowledge: (trx: Trx, ids: string[], by: string, at: Date): Promise<AlertRow[]> =>
    ids.length === 0
      ? Promise.resolve([])
      : trx
          .updateTable('alert')
          .set({ acknowledged_at: at, acknowledged_by: by })
          .where('id', 'in', ids)
          .where('acknowledged_at', 'is', null)
          .returning(alertColumns)
          .execute(),

  reportNumbers: async (db: Db, reportIds: string[]): Promise<Map<string, AlertView['reportNumber']>> => {
    if (reportIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('report')
      .select(['id', 'number'])
      .where('id', 'in', [...new Set(reportIds)])
      .execute();
    return new Map(rows.map((r) => [r.id, r.number]));
  },
};

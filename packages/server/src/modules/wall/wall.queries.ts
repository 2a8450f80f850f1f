import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * Every read behind a wall refresh. Each one touches a bounded slice of a rollup table through an index
 * (the hours of a month, the days of a month, today's reports, the last day's answers, the stops still in
 * force, the open hand-offs), never the history: `bench/wall.bench.ts` prints their plans over ten million
 * reports, and `wall.queries.test.ts` checks that none of them scans a whole table.
 */
type Db = Kysely<DB>;

/** The slices of time a refresh reads, from `now`. */
export interface WallWindow {
  now: Date;
  today: Date;
  firstHour: Date;
  firstDay: string;
  lastDay: string;
  banksFrom: Date;
  lapseUntil: Date;
  targetS: number;
}

const hourRows = (db: Db, from: Date, to: Date) =>
  db
    .selectFrom('wall_hour')
    .select(['hour', 'metric', 'n', sql<number>`fen::float8`.as('fen')])
    .where('hour', '>=', from)
    .where('hour', '<=', to);

const dayRows = (db: Db, fromDay: string, toDay: string) =>
  db
    .selectFrom('wall_day')
    .select([sql<string>`day::text`.as('day'), 'metric', 'key', 'n', sql<number>`fen::float8`.as('fen')])
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay);

/** The three-minute clock, as `/api/stats/clock` counts it, from the wall's copy of today's reports. */
const clockRow = (db: Db, from: Date, to: Date, targetS: number) =>
  db
    .selectFrom('wall_report')
    .select([
      sql<number>`count(*)::int`.as('reports'),
      sql<number>`count(to_stop_s)::int`.as('reached'),
      sql<number | null>`percentile_cont(0.5) within group (order by to_stop_s)::float8`.as('p50'),
      sql<number | null>`percentile_cont(0.9) within group (order by to_stop_s)::float8`.as('p90'),
      sql<number>`count(*) filter (where to_stop_s <= ${targetS})::int`.as('within'),
    ])
    .where('answered_at', '>=', from)
    .where('answered_at', '<', to);

const bankRows = (db: Db, from: Date, to: Date) =>
  db
    .selectFrom('wall_stop')
    .select([
      'bank_code',
      sql<number>`count(*)::int`.as('answered'),
      sql<number>`count(*) filter (where is_stopped)::int`.as('stopped'),
      sql<number | null>`percentile_cont(0.5) within group (order by response_s)::float8`.as('p50'),
      sql<number | null>`percentile_cont(0.9) within group (order by response_s)::float8`.as('p90'),
    ])
    .where('answered_at', 'is not', null)
    .where('answered_at', '>=', from)
    .where('answered_at', '<=', to)
    .groupBy('bank_code');

const lapseRow = (db: Db, now: Date, until: Date) =>
  db
    .selectFrom('wall_stop')
    .select([
      sql<number>`count(*)::int`.as('in_force'),
      sql<number>`count(*) filter (where expires_at < ${until})::int`.as('n'),
      sql<number>`coalesce(sum(stopped_fen) filter (where expires_at < ${until}), 0)::float8`.as('fen'),
    ])
    .where('is_in_force', '=', true)
    .where('expires_at', '>=', now);

const lapseNext = (db: Db, now: Date, until: Date, limit: number) =>
  db
    .selectFrom('wall_stop')
    .select(['bank_code', 'layer', 'stopped_fen', 'expires_at'])
    .where('is_in_force', '=', true)
    .where('expires_at', '>=', now)
    .where('expires_at', '<', until)
    .orderBy('expires_at')
    .limit(limit);

const handoffRows = (db: Db, now: Date) =>
  db
    .selectFrom('wall_task')
    .select([
      'county_code',
      sql<number>`count(*)::int`.as('open'),
      sql<number>`count(*) filter (where is_overdue or due_at <= ${now})::int`.as('overdue'),
    ])
    .where('is_open', '=', true)
    .groupBy('county_code');

const tickerRows = (db: Db, limit: number) =>
  db
    .selectFrom('wall_ticker')
    .select([
      'id',
      'at',
      'kind',
      'county_code',
      'fraud_type',
      'loss_fen',
      'stopped_fen',
      'frozen_fen',
      'returned_fen',
      'text',
    ])
    .orderBy('id', 'desc')
    .limit(limit);

/** Every query of one refresh, unexecuted: the service runs them, the bench and a test explain them. */
export const wallQueries = (db: Db, w: WallWindow, limits: { lapse: number; ticker: number }) => ({
  hours: hourRows(db, w.firstHour, w.now),
  days: dayRows(db, w.firstDay, w.lastDay),
  clock: clockRow(db, w.today, w.now, w.targetS),
  banks: bankRows(db, w.banksFrom, w.now),
  lapse: lapseRow(db, w.now, w.lapseUntil),
  lapseNext: lapseNext(db, w.now, w.lapseUntil, limits.lapse),
  handoffs: handoffRows(db, w.now),
  ticker: tickerRows(db, limits.ticker),
});

import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * The wall's rollups over any China-time period [from, to), for the period reports (日报/周报/月报): the
 * hours' counters, the days' county and fraud-type counters, the three-minute clock of the reports answered
 * in the period, and the banks' answers in it. Each read is an index range over the period's slice of a
 * rollup table, whatever the history's size (`bench/period-report.bench.ts`). `county` narrows the clock and
 * the banks to the reports of one county (by the county the wall counted them under).
 */
type Db = Kysely<DB>;

export interface WallPeriod {
  from: Date;
  to: Date;
  fromDay: string;
  /** The last day of the period (inclusive). */
  lastDay: string;
  county: string | null;
  targetS: number;
  bankTargetS: number;
}

const hours = (db: Db, p: WallPeriod) =>
  db
    .selectFrom('wall_hour')
    .select(['metric', sql<number>`sum(n)::bigint`.as('n'), sql<number>`sum(fen)::float8`.as('fen')])
    .where('hour', '>=', p.from)
    .where('hour', '<', p.to)
    .groupBy('metric');

const days = (db: Db, p: WallPeriod) =>
  db
    .selectFrom('wall_day')
    .select(['metric', 'key', sql<number>`sum(n)::bigint`.as('n'), sql<number>`sum(fen)::float8`.as('fen')])
    .where('day', '>=', p.fromDay)
    .where('day', '<=', p.lastDay)
    .where('metric', 'in', ['county', 'fraud_type'])
    .groupBy(['metric', 'key']);

/** The reports answered in the period (one county's, if given): the clock and the money of those reports. */
const reports = (db: Db, p: WallPeriod) => {
  let q = db
    .selectFrom('wall_report')
    .select([
      sql<number>`count(*)::int`.as('reports'),
      sql<number>`count(to_stop_s)::int`.as('reached'),
      sql<number | null>`percentile_cont(0.5) within group (order by to_stop_s)::float8`.as('p50'),
      sql<number | null>`percentile_cont(0.9) within group (order by to_stop_s)::float8`.as('p90'),
      sql<number>`count(*) filter (where to_stop_s <= ${p.targetS})::int`.as('within'),
      sql<number>`coalesce(sum(loss_fen), 0)::float8`.as('loss_fen'),
      sql<number>`coalesce(sum(stopped_fen), 0)::float8`.as('stopped_fen'),
      sql<number>`coalesce(sum(frozen_fen), 0)::float8`.as('frozen_fen'),
      sql<number>`coalesce(sum(returned_fen), 0)::float8`.as('returned_fen'),
    ])
    .where('answered_at', '>=', p.from)
    .where('answered_at', '<', p.to)
    .where('is_received', '=', true);
  if (p.county !== null) q = q.where('county_code', '=', p.county);
  return q;
};

/** Banks' answers in the period: answered, stopped, answered within the target, median answer time. */
const banks = (db: Db, p: WallPeriod) => {
  let q = db
    .selectFrom('wall_stop as s')
    .select([
      's.bank_code',
      sql<number>`count(*)::int`.as('answered'),
      sql<number>`count(*) filter (where s.is_stopped)::int`.as('stopped'),
      sql<number>`count(*) filter (where s.response_s <= ${p.bankTargetS})::int`.as('in_time'),
      sql<number | null>`percentile_cont(0.5) within group (order by s.response_s)::float8`.as('p50'),
    ])
    .where('s.answered_at', 'is not', null)
    .where('s.answered_at', '>=', p.from)
    .where('s.answered_at', '<', p.to)
    .groupBy('s.bank_code');
  if (p.county !== null)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('wall_report as r')
          .select(sql`1`.as('one'))
          .whereRef('r.report_id', '=', 's.report_id')
          .where('r.county_code', '=', p.county),
      ),
    );
  return q;
};

/** Every read of one period report from the wall's rollups, unexecuted: run by `wallPeriodFigures`, explained by the bench. */
export const wallPeriodQueries = (db: Db, p: WallPeriod) => ({
  hours: hours(db, p),
  days: days(db, p),
  reports: reports(db, p),
  banks: banks(db, p),
});

export async function wallPeriodFigures(db: Db, p: WallPeriod) {
  const q = wallPeriodQueries(db, p);
  const [h, d, r, b] = await Promise.all([
    q.hours.execute(),
    q.days.execute(),
    q.reports.executeTakeFirstOrThrow(),
    q.banks.execute(),
  ]);
  const metric = (m: string) => {
    const row = h.find((x) => x.metric === m);
    return { n: Number(row?.n ?? 0), fen: Number(row?.fen ?? 0) };
  };
  return {
    hours: {
      received: metric('received'),
      stopped: metric('stopped'),
      frozen: metric('frozen'),
      returned: metric('returned'),
      warned: metric('warned'),
      persuaded: metric('persuaded'),
    },
    days: d.map((x) => ({ metric: x.metric, key: x.key, n: Number(x.n), fen: Number(x.fen) })),
    reports: {
      reports: r.reports,
      reached: r.reached,
      within: r.within,
      p50: r.p50,
      p90: r.p90,
      lossFen: Number(r.loss_fen),
      stoppedFen: Number(r.stopped_fen),
      frozenFen: Number(r.frozen_fen),
      returnedFen: Number(r.returned_fen),
    },
    banks: b.map((x) => ({
      bankCode: x.bank_code,
      answered: x.answered,
      stopped: x.stopped,
      inTime: x.in_time,
      p50: x.p50,
    })),
  };
}
export type WallPeriodFigures = Awaited<ReturnType<typeof wallPeriodFigures>>;

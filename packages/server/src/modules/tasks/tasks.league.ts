import type { TaskLeague, TaskLeagueRow } from '@fanzha/contracts';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { dayStart, monthStart } from '../wall/index';

const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;

/** The period (China time) a day falls in: a week from Monday 00:00, or a calendar month. */
export function leaguePeriod(period: 'week' | 'month', at: Date): { from: Date; to: Date } {
  if (period === 'week') {
    const start = dayStart(at);
    const weekday = new Date(start.getTime() + OFFSET_MS).getUTCDay(); // 0 Sunday … 6 Saturday
    const from = new Date(start.getTime() - ((weekday + 6) % 7) * DAY_MS);
    return { from, to: new Date(from.getTime() + 7 * DAY_MS) };
  }
  const from = monthStart(at);
  // 32 days on always lands in the next month; its start ends this one.
  return { from, to: monthStart(new Date(from.getTime() + 32 * DAY_MS)) };
}

/** A day `YYYY-MM-DD` (China time) as the instant of its noon, safely inside it. */
export const chinaNoon = (day: string) => new Date(`${day}T12:00:00+08:00`);

/**
 * The league of one kind of unit: per unit, the tasks due in the period, those done by their deadline, the
 * on-time rate, the median time from opened to done (of those done), and the tasks open and overdue now.
 */
/** Per unit of one kind: tasks due in [from, to), done by their deadline, median time to done, overdue now. */
async function leagueRows(
  db: Kysely<DB>,
  q: { unitKind: 'county' | 'bank' | 'operator'; from: Date; to: Date; now: Date; unitCode?: string | null },
): Promise<TaskLeagueRow[]> {
  const { from, to } = q;
  const inPeriod = sql`(due_at >= ${from} and due_at < ${to})`;
  let query = db
    .selectFrom('task')
    .select([
      'owner_unit_code as unitCode',
      sql<string>`count(*) filter (where ${inPeriod} and status <> 'cancelled')`.as('due'),
      sql<string>`count(*) filter (where ${inPeriod} and status = 'done' and done_at <= due_at)`.as('onTime'),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from (done_at - opened_at)))
        filter (where ${inPeriod} and status = 'done')`.as('medianS'),
      sql<string>`count(*) filter (where status = 'open' and due_at < ${q.now})`.as('overdueOpen'),
    ])
    .where('owner_unit_kind', '=', q.unitKind)
    .where((eb) =>
      eb.or([
        eb.and([eb('due_at', '>=', from), eb('due_at', '<', to)]),
        eb.and([eb('status', '=', 'open'), eb('due_at', '<', q.now)]),
      ]),
    );
  if (q.unitCode) query = query.where('owner_unit_code', '=', q.unitCode);
  const rows = await query.groupBy('owner_unit_code').execute();
  const units: TaskLeagueRow[] = rows.map((r) => {
    const due = Number(r.due);
    const doneOnTime = Number(r.onTime);
    return {
      unitCode: r.unitCode,
      due,
      doneOnTime,
      onTimeRate: due === 0 ? null : doneOnTime / due,
      medianDoneS: r.medianS === null ? null : Number(r.medianS),
      overdueOpen: Number(r.overdueOpen),
    };
  });
  // Best first: on time, then fewer overdue; units with nothing due last.
  return units.sort(
    (a, b) =>
      (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) ||
      a.overdueOpen - b.overdueOpen ||
      a.unitCode.localeCompare(b.unitCode),
  );
}

/**
 * The league of one kind of unit: per unit, the tasks due in the period, those done by their deadline, the
 * on-time rate, the median time from opened to done (of those done), and the tasks open and overdue now.
 */
export async function leagueOf(
  db: Kysely<DB>,
  q: { unitKind: 'county' | 'bank' | 'operator'; period: 'week' | 'month'; at: Date; now: Date },
): Promise<TaskLeague> {
  const { from, to } = leaguePeriod(q.period, q.at);
  const units = await leagueRows(db, { unitKind: q.unitKind, from, to, now: q.now });
  return {
    unitKind: q.unitKind,
    period: q.period,
    from: from.toISOString(),
    to: to.toISOString(),
    units,
  };
}

const unitKinds = ['county', 'bank', 'operator'] as const;

/**
 * The supervision queue's figures of one period [from, to) for the period reports: the tasks overdue and
 * still open at the period's end (or now, if earlier) by kind, and the league of each kind of unit for tasks
 * due in the period. A county's report shows its own tasks and its own row of the county league only.
 */
export async function taskPeriodFigures(
  db: Kysely<DB>,
  from: Date,
  to: Date,
  county: string | null,
  now: Date,
) {
  const cutoff = new Date(Math.min(to.getTime(), now.getTime()));
  let overdue = db
    .selectFrom('task')
    .select(['kind', sql<number>`count(*)::int`.as('overdue')])
    .where('opened_at', '<', cutoff)
    .where('due_at', '<', cutoff)
    .where((eb) =>
      eb.or([eb('status', '=', 'open'), eb.and([eb('status', '=', 'done'), eb('done_at', '>=', cutoff)])]),
    );
  if (county) overdue = overdue.where('owner_unit_kind', '=', 'county').where('owner_unit_code', '=', county);
  const kinds = county ? (['county'] as const) : unitKinds;
  const [rows, leagues] = await Promise.all([
    overdue.groupBy('kind').orderBy('kind').execute(),
    Promise.all(
      kinds.map(async (unitKind) => ({
        unitKind,
        units: await leagueRows(db, { unitKind, from, to, now: cutoff, unitCode: county }),
      })),
    ),
  ]);
  return { overdueByKind: rows.map((r) => ({ kind: r.kind, overdue: Number(r.overdue) })), leagues };
}

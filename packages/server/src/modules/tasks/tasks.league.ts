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
export async function leagueOf(
  db: Kysely<DB>,
  q: { unitKind: 'county' | 'bank' | 'operator'; period: 'week' | 'month'; at: Date; now: Date },
): Promise<TaskLeague> {
  const { from, to } = leaguePeriod(q.period, q.at);
  const inPeriod = sql`(due_at >= ${from} and due_at < ${to})`;
  const rows = await db
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
    )
    .groupBy('owner_unit_code')
    .execute();
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
  units.sort(
    (a, b) =>
      (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) ||
      a.overdueOpen - b.overdueOpen ||
      a.unitCode.localeCompare(b.unitCode),
  );
  return {
    unitKind: q.unitKind,
    period: q.period,
    from: from.toISOString(),
    to: to.toISOString(),
    units,
  };
}

import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/**
 * The hand-offs of a period, per county, for the period reports (日报/周报/月报): tasks issued in
 * [from, to) (a transfer is a new task of the county it went to), how many were accepted by their accept
 * deadline, and how many went overdue (`overdue_at` set by the legal timers' sweep). Reads the
 * `county_task_issued` index's slice of the period.
 */
export const countyTaskPeriodQuery = (db: Kysely<DB>, from: Date, to: Date, county: string | null) => {
  let q = db
    .selectFrom('county_task')
    .select([
      'county_code',
      sql<number>`count(*)::int`.as('hand_offs'),
      sql<number>`count(*) filter (where accepted_at is not null and accepted_at <= accept_due_at)::int`.as(
        'accepted_in_time',
      ),
      sql<number>`count(*) filter (where overdue_at is not null)::int`.as('overdue'),
    ])
    .where('issued_at', '>=', from)
    .where('issued_at', '<', to)
    .groupBy('county_code');
  if (county !== null) q = q.where('county_code', '=', county);
  return q;
};

export async function countyTaskPeriodFigures(db: Kysely<DB>, from: Date, to: Date, county: string | null) {
  const rows = await countyTaskPeriodQuery(db, from, to, county).execute();
  return rows.map((r) => ({
    countyCode: r.county_code,
    handOffs: r.hand_offs,
    acceptedInTime: r.accepted_in_time,
    overdue: r.overdue,
  }));
}

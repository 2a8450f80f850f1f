import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

type Stage = 'first_account_pushed_at' | 'first_instruction_sent_at' | 'first_stop_result_at';
const CLOCK_STAGES: readonly Stage[] = [
  'first_account_pushed_at',
  'first_instruction_sent_at',
  'first_stop_result_at',
];

/** Per stage: how many reports reached it, and the median and p90 of seconds from call to that stage. */
const stageColumns = (column: Stage) => {
  const seconds = sql`extract(epoch from ${sql.ref(column)} - call_answered_at)`;
  return [
    sql<number>`count(${sql.ref(column)})::int`.as(`${column}_n`),
    sql<number | null>`percentile_cont(0.5) within group (order by ${seconds})::float8`.as(`${column}_p50`),
    sql<number | null>`percentile_cont(0.9) within group (order by ${seconds})::float8`.as(`${column}_p90`),
  ];
};

/**
 * The three-minute clock over the reports of any period (`/api/stats/clock`), read from the reports
 * themselves since a period may reach back past the wall's rollup of today. One aggregate row.
 */
export async function reportClockRow(
  db: Kysely<DB>,
  from: Date,
  to: Date,
  targetS: number,
): Promise<{ reports: number; within: number; stages: Record<string, number | null> }> {
  const row = await db
    .selectFrom('report')
    .select([
      sql<number>`count(*)::int`.as('reports'),
      ...CLOCK_STAGES.flatMap(stageColumns),
      sql<number>`count(*) filter (where first_stop_result_at - call_answered_at <= make_interval(secs => ${targetS}))::int`.as(
        'within',
      ),
    ])
    .where('call_answered_at', '>=', from)
    .where('call_answered_at', '<', to)
    .executeTakeFirstOrThrow();
  return {
    reports: row.reports,
    within: row.within,
    stages: row as unknown as Record<string, number | null>,
  };
}

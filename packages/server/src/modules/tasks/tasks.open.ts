import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/** Open tasks by kind, and those past their deadline at `now`: one pass over the open-task index. */
export const openTasksQuery = (db: Kysely<DB>, now: Date) =>
  db
    .selectFrom('task')
    .select([
      'kind',
      sql<number>`count(*)::int`.as('open'),
      sql<number>`count(*) filter (where due_at < ${now})::int`.as('overdue'),
    ])
    .where('status', '=', 'open')
    .groupBy('kind');

export interface OpenTaskCount {
  kind: string;
  open: number;
  overdue: number;
}

/** The supervision queue's open and overdue tasks per kind, whole province, aggregates only (for the wall). */
export async function openTaskCounts(db: Kysely<DB>, now: Date): Promise<OpenTaskCount[]> {
  const rows = await openTasksQuery(db, now).execute();
  return rows.map((r) => ({ kind: r.kind, open: Number(r.open), overdue: Number(r.overdue) }));
}

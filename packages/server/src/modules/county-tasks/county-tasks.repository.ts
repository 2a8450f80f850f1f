import type { CountyTaskStatus } from '@fanzha/domain';
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { CountyTaskTable, DB } from '../../db/schema';
import type { CountyTaskRow } from '../case/index';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

const taskColumns = [
  'id',
  'report_id',
  'county_code',
  'status',
  'issued_at',
  'accept_due_at',
  'due_at',
  'accepted_at',
  'accepted_by',
  'contacted_at',
  'case_number',
  'answer',
  'answered_at',
  'answered_by',
  'transferred_from_id',
  'transfer_reason',
  'transferred_at',
  'transferred_by',
  'overdue_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof CountyTaskTable>;

/** The SQL of county hand-offs (`county_task`), the one table this module owns. */
export const countyTaskRepository = {
  insert: async (trx: Trx, rows: Array<Insertable<CountyTaskTable>>): Promise<void> => {
    if (rows.length > 0) await trx.insertInto('county_task').values(rows).execute();
  },

  lock: (trx: Trx, id: string): Promise<CountyTaskRow | undefined> =>
    trx.selectFrom('county_task').select(taskColumns).where('id', '=', id).forUpdate().executeTakeFirst(),

  get: (db: Db, id: string): Promise<CountyTaskRow | undefined> =>
    db.selectFrom('county_task').select(taskColumns).where('id', '=', id).executeTakeFirst(),

  byIds: (db: Db, ids: string[]): Promise<CountyTaskRow[]> =>
    ids.length === 0
      ? Promise.resolve([])
      : db.selectFrom('county_task').select(taskColumns).where('id', 'in', ids).execute(),

  set: (trx: Trx, id: string, patch: Updateable<CountyTaskTable>) =>
    trx.updateTable('county_task').set(patch).where('id', '=', id).execute(),

  /** Tasks by status, newest first, narrowed by county, report and lateness where given. */
  list(
    db: Db,
    q: {
      statuses: CountyTaskStatus[];
      countyCode?: string | undefined;
      reportId?: string | undefined;
      overdueAt?: { isOverdue: boolean; now: Date } | undefined;
      limit: number;
    },
  ): Promise<CountyTaskRow[]> {
    let query = db.selectFrom('county_task').select(taskColumns).where('status', 'in', q.statuses);
    if (q.countyCode !== undefined) query = query.where('county_code', '=', q.countyCode);
    if (q.reportId) query = query.where('report_id', '=', q.reportId);
    if (q.overdueAt) {
      const { now } = q.overdueAt;
      // The same rule as isTaskOverdue, in SQL, so the limit applies after the filter.
      const overdue = sql<boolean>`(status in ('issued', 'accepted', 'contacted') and
        ((status = 'issued' and accept_due_at <= ${now}) or due_at <= ${now}))`;
      query = query.where(q.overdueAt.isOverdue ? overdue : sql<boolean>`not ${overdue}`);
    }
    return query.orderBy('issued_at', 'desc').limit(q.limit).execute();
  },

  /** The sweep: tasks past a deadline are flagged once, at the first sweep that sees them late. */
  markOverdue: async (trx: Trx, ids: string[], at: Date): Promise<void> => {
    if (ids.length === 0) return;
    await trx
      .updateTable('county_task')
      .set({ overdue_at: at })
      .where('id', 'in', ids)
      .where('overdue_at', 'is', null)
      .execute();
  },
};

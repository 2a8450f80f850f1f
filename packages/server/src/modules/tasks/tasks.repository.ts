import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { DB, TaskActionTable, TaskTable } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type TaskRow = Selectable<TaskTable>;
export type TaskActionRow = Selectable<TaskActionTable>;

export const taskColumns = [
  'id',
  'kind',
  'source_id',
  'title',
  'report_id',
  'owner_unit_kind',
  'owner_unit_code',
  'owner_user_id',
  'is_reassigned',
  'opened_at',
  'due_at',
  'status',
  'done_at',
  'feedback',
  'urge_count',
  'last_urged_at',
  'last_urged_by',
  'last_urge_note',
  'escalation_level',
  'escalated_at',
  'source_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof TaskTable>;

const actionColumns = [
  'id',
  'task_id',
  'action',
  'at',
  'by_user_id',
  'by_username',
  'note',
  'from_owner',
  'to_owner',
  'level',
  'key',
] as const satisfies ReadonlyArray<keyof TaskActionTable>;

/** What a module reported of a task: the columns an event sets (never the supervision's). */
export type ReportedColumns = Pick<
  Insertable<TaskTable>,
  | 'kind'
  | 'source_id'
  | 'title'
  | 'report_id'
  | 'owner_unit_kind'
  | 'owner_unit_code'
  | 'owner_user_id'
  | 'opened_at'
  | 'due_at'
  | 'status'
  | 'done_at'
  | 'feedback'
  | 'updated_at'
> & { source_at: Date };

export interface TaskFilter {
  kind?: string | undefined;
  unitKind?: string | undefined;
  unitCode?: string | undefined;
  status?: 'open' | 'done' | 'cancelled' | undefined;
  /** Open and past due at this instant. */
  overdueAt?: Date | undefined;
  notOverdueAt?: Date | undefined;
  reportId?: string | undefined;
}

function filtered(db: Db, f: TaskFilter) {
  let q = db.selectFrom('task');
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.unitKind) q = q.where('owner_unit_kind', '=', f.unitKind as TaskTable['owner_unit_kind']);
  if (f.unitCode) q = q.where('owner_unit_code', '=', f.unitCode);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.reportId) q = q.where('report_id', '=', f.reportId);
  if (f.overdueAt) q = q.where('status', '=', 'open').where('due_at', '<', f.overdueAt);
  if (f.notOverdueAt)
    q = q.where((eb) =>
      eb.or([eb('status', '<>', 'open'), eb('due_at', 'is', null), eb('due_at', '>=', f.notOverdueAt!)]),
    );
  return q;
}

/**
 * The queue's page: overdue first (open and past due), then the other open tasks, then the closed; each by
 * deadline (none last), then newest opened first.
 */
export function queuePage(db: Db, f: TaskFilter, now: Date, limit: number, offset: number) {
  return filtered(db, f)
    .select(taskColumns)
    .orderBy(sql`(status = 'open' and due_at < ${now})`, 'desc')
    .orderBy(sql`(status = 'open')`, 'desc')
    .orderBy(sql`due_at asc nulls last`)
    .orderBy('opened_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset);
}

/** The SQL of the supervision queue (`task`, `task_action`), the tables this module owns. */
export const taskRepository = {
  /**
   * Takes what the modules reported: new tasks are made, known ones updated unless the stored report is
   * newer (`source_at`), and a reassigned task keeps the owner the supervisor gave it.
   */
  async upsert(trx: Trx, rows: Array<ReportedColumns & { id: string }>): Promise<void> {
    if (rows.length === 0) return;
    const sorted = [...rows].sort((a, b) =>
      a.kind === b.kind ? (a.source_id < b.source_id ? -1 : 1) : a.kind < b.kind ? -1 : 1,
    );
    await trx
      .insertInto('task')
      .values(sorted)
      .onConflict((oc) =>
        oc
          .columns(['kind', 'source_id'])
          .doUpdateSet({
            title: (eb) => eb.ref('excluded.title'),
            report_id: (eb) => eb.ref('excluded.report_id'),
            owner_unit_kind: sql`case when task.is_reassigned then task.owner_unit_kind else excluded.owner_unit_kind end`,
            owner_unit_code: sql`case when task.is_reassigned then task.owner_unit_code else excluded.owner_unit_code end`,
            owner_user_id: sql`case when task.is_reassigned then task.owner_user_id else excluded.owner_user_id end`,
            opened_at: (eb) => eb.ref('excluded.opened_at'),
            due_at: (eb) => eb.ref('excluded.due_at'),
            status: (eb) => eb.ref('excluded.status'),
            done_at: (eb) => eb.ref('excluded.done_at'),
            feedback: (eb) => eb.ref('excluded.feedback'),
            source_at: (eb) => eb.ref('excluded.source_at'),
            updated_at: (eb) => eb.ref('excluded.updated_at'),
          })
          .where('task.source_at', '<=', (eb) => eb.ref('excluded.source_at')),
      )
      .execute();
  },

  /** Ends a known task (a visit the ladder moved past), unless the stored report is newer. */
  async updateOnly(
    trx: Trx,
    row: Pick<
      ReportedColumns,
      'kind' | 'source_id' | 'status' | 'done_at' | 'feedback' | 'source_at' | 'updated_at'
    >,
  ): Promise<void> {
    await trx
      .updateTable('task')
      .set({
        status: row.status,
        done_at: row.done_at ?? null,
        feedback: row.feedback ?? null,
        source_at: row.source_at,
        updated_at: row.updated_at,
      })
      .where('kind', '=', row.kind)
      .where('source_id', '=', row.source_id)
      .where('status', '=', 'open')
      .where('source_at', '<=', row.source_at)
      .execute();
  },

  page: (db: Db, f: TaskFilter, now: Date, limit: number, offset: number): Promise<TaskRow[]> =>
    queuePage(db, f, now, limit, offset).execute(),

  async count(db: Db, f: TaskFilter): Promise<number> {
    const row = await filtered(db, f)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  get: (db: Db, id: string): Promise<TaskRow | undefined> =>
    db.selectFrom('task').select(taskColumns).where('id', '=', id).executeTakeFirst(),

  lock: (trx: Trx, id: string): Promise<TaskRow | undefined> =>
    trx.selectFrom('task').select(taskColumns).where('id', '=', id).forUpdate().executeTakeFirst(),

  set: (trx: Trx, id: string, patch: Updateable<TaskTable>) =>
    trx.updateTable('task').set(patch).where('id', '=', id).execute(),

  actions: (db: Db, taskId: string): Promise<TaskActionRow[]> =>
    db
      .selectFrom('task_action')
      .select(actionColumns)
      .where('task_id', '=', taskId)
      .orderBy('at')
      .orderBy('id')
      .execute(),

  actionByKey: (db: Db, taskId: string, action: string, key: string): Promise<TaskActionRow | undefined> =>
    db
      .selectFrom('task_action')
      .select(actionColumns)
      .where('task_id', '=', taskId)
      .where('action', '=', action as TaskActionTable['action'])
      .where('key', '=', key)
      .executeTakeFirst(),

  addAction: (trx: Trx, row: Insertable<TaskActionTable>) =>
    trx.insertInto('task_action').values(row).execute(),

  /** An enabled account a task may be given to, with the unit it is bound to; undefined for none. */
  assignee: (db: Db, userId: string) =>
    db
      .selectFrom('app_user')
      .select(['id', 'county_code', 'bank_code', 'operator_code'])
      .where('id', '=', userId)
      .where('is_disabled', '=', false)
      .executeTakeFirst(),
};

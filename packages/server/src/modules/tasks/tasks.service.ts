import { isStorableTime } from '@fanzha/contracts';
import type {
  EscalateTaskRequest,
  ReassignTaskRequest,
  TaskDetail,
  TaskLeague,
  TaskLeagueQuery,
  TaskList,
  TaskOwner,
  TaskQuery,
  TaskView,
  UrgeTaskRequest,
} from '@fanzha/contracts';
import { findBankByCode, operators, validateCountyCode, type Clock } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { chinaNoon, leagueOf, leaguePeriod } from './tasks.league';
import { taskRepository as repo, type TaskRow } from './tasks.repository';
import { isInScope, maySupervise, ownerScope } from './tasks.scope';
import { toTaskAction, toTaskView } from './tasks.view';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;

/**
 * The first day the league may be asked for. No task is older, and earlier days are not safe to compute
 * with: `Date.UTC` reads the years 0–99 as 1900–1999, and PostgreSQL keeps no year 0.
 */
const EARLIEST_DAY = '1970-01-01';

/** The highest escalation: the commander (指挥长). */
export const MAX_ESCALATION = 1;

/** A county hand-off is moved by the county-tasks module itself (a transfer): its public service. */
export interface CountyTransfer {
  transfer(ctx: Ctx, id: string, body: { countyCode: string; reason: string }): Promise<unknown>;
}

const notFound = () => new AppError('not_found', 'No such task in your scope');

/** Checks a new owner: a real county, a bank code, an operator, or the centre. */
function checkOwner(to: ReassignTaskRequest['to']): TaskOwner {
  const owner = { unitKind: to.unitKind, unitCode: to.unitCode, userId: to.userId ?? null };
  const bad = (message: string) =>
    validationError([{ field: 'body.to.unitCode', reason: 'unknown_unit', message }]);
  switch (to.unitKind) {
    case 'county': {
      const county = validateCountyCode(to.unitCode);
      if (!county.ok)
        throw validationError([
          { field: 'body.to.unitCode', reason: county.reason, message: county.message },
        ]);
      return { ...owner, unitCode: county.value.code };
    }
    case 'bank':
      if (!findBankByCode(to.unitCode)) throw bad('not a bank fanzha knows');
      return owner;
    case 'operator':
      if (!(operators as readonly string[]).includes(to.unitCode)) throw bad('not an operator');
      return owner;
    case 'centre':
      if (to.unitCode !== 'centre') throw bad('the centre’s code is centre');
      return owner;
  }
}

export function createTasksService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  countyTasks: CountyTransfer;
  wake: () => void;
}) {
  const { db, clock } = deps;

  /**
   * A person a task is given to: an enabled account of the unit it names (the centre's: bound to no county,
   * bank or operator). Anyone else would hold a task their scope never shows them.
   */
  async function checkAssignee(to: TaskOwner): Promise<void> {
    const user = await repo.assignee(db, to.userId!);
    if (!user)
      throw validationError([
        { field: 'body.to.userId', reason: 'unknown_user', message: 'no enabled account has this id' },
      ]);
    const unitOf =
      user.county_code !== null
        ? { unitKind: 'county', unitCode: user.county_code }
        : user.bank_code !== null
          ? { unitKind: 'bank', unitCode: user.bank_code }
          : user.operator_code !== null
            ? { unitKind: 'operator', unitCode: user.operator_code }
            : { unitKind: 'centre', unitCode: 'centre' };
    if (unitOf.unitKind !== to.unitKind || unitOf.unitCode !== to.unitCode)
      throw validationError([
        { field: 'body.to.userId', reason: 'not_of_unit', message: 'this person is not of the unit named' },
      ]);
  }

  async function visible(actor: Actor, id: string): Promise<TaskRow> {
    const row = await repo.get(db, id);
    if (!row || !isInScope(actor, { unitKind: row.owner_unit_kind, unitCode: row.owner_unit_code }))
      throw notFound();
    return row;
  }

  /**
   * One supervision action: checks the supervisor and the task (open), answers a retry with the same key as
   * the task stands, applies the change, records it with its audit entry and its event, in one transaction.
   */
  async function act(
    ctx: Ctx,
    id: string,
    action: 'urge' | 'reassign' | 'escalate',
    key: string | undefined,
    apply: (
      trx: Trx,
      row: TaskRow,
    ) => Promise<
      { note: string; details: Record<string, unknown> } & Partial<{
        fromOwner: TaskOwner;
        toOwner: TaskOwner;
        level: number;
      }>
    >,
    publish: (trx: Trx, task: TaskView, note: string) => Promise<void>,
  ): Promise<TaskView> {
    if (!maySupervise(ctx.actor)) throw new AppError('forbidden', 'Only the supervisor supervises tasks');
    const view = await db.transaction().execute(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound();
      if (key && (await repo.actionByKey(trx, id, action, key))) return undefined;
      if (row.status !== 'open')
        throw new AppError('conflict', `The task is ${row.status}: nothing to supervise`);
      const done = await apply(trx, row);
      await repo.addAction(trx, {
        id: randomUUID(),
        task_id: id,
        action,
        at: ctx.at,
        by_user_id: ctx.actor.userId,
        by_username: ctx.actor.username,
        note: done.note,
        from_owner: done.fromOwner ? JSON.stringify(done.fromOwner) : null,
        to_owner: done.toOwner ? JSON.stringify(done.toOwner) : null,
        level: done.level ?? null,
        key: key ?? null,
      });
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: `task.${action}`,
          objectType: 'task',
          objectId: id,
          result: 'success',
          details: { kind: row.kind, sourceId: row.source_id, ...done.details },
        }),
      );
      const task = toTaskView((await repo.get(trx, id))!, ctx.at);
      await publish(trx, task, done.note);
      return task;
    });
    if (!view) return toTaskView((await repo.get(db, id))!, clock.now());
    deps.wake();
    return view;
  }

  return {
    async list(actor: Actor, q: TaskQuery): Promise<TaskList> {
      const scope = ownerScope(actor);
      if (!scope) throw new AppError('forbidden', 'Your role sees no tasks');
      // A bound role's scope overrides whatever unit the query names.
      const filter = {
        kind: q.kind,
        unitKind: scope.unitKind ?? q.unitKind,
        unitCode: scope.unitCode ?? q.unitCode,
        status: q.status === 'all' ? undefined : q.status,
        reportId: q.reportId,
        ...(q.overdue === 'true' ? { overdueAt: clock.now() } : {}),
        ...(q.overdue === 'false' ? { notOverdueAt: clock.now() } : {}),
      };
      const now = clock.now();
      const [rows, total] = await Promise.all([
        repo.page(db, filter, now, q.limit, q.offset),
        repo.count(db, filter),
      ]);
      return { tasks: rows.map((r) => toTaskView(r, now)), total, offset: q.offset };
    },

    async get(actor: Actor, id: string): Promise<TaskDetail> {
      const row = await visible(actor, id);
      const history = await repo.actions(db, id);
      return { ...toTaskView(row, clock.now()), history: history.map(toTaskAction) };
    },

    urge: (ctx: Ctx, id: string, body: UrgeTaskRequest) =>
      act(
        ctx,
        id,
        'urge',
        body.key,
        async (trx, row) => {
          await repo.set(trx, id, {
            urge_count: row.urge_count + 1,
            last_urged_at: ctx.at,
            last_urged_by: ctx.actor.username,
            last_urge_note: body.note,
            updated_at: ctx.at,
          });
          return { note: body.note, details: { note: body.note, count: row.urge_count + 1 } };
        },
        (trx, task, note) => enqueue(trx, newEvent('task.urged', { task, note }, clock)),
      ),

    async reassign(ctx: Ctx, id: string, body: ReassignTaskRequest): Promise<TaskView> {
      if (!maySupervise(ctx.actor)) throw new AppError('forbidden', 'Only the supervisor supervises tasks');
      const row = await repo.get(db, id);
      if (!row) throw notFound();
      // A retry answers the task as it stands: the owner it names is the task's own by now, which is no error.
      if (body.key && (await repo.actionByKey(db, id, 'reassign', body.key)))
        return toTaskView(row, clock.now());
      const to = checkOwner(body.to);
      if (to.userId !== null) await checkAssignee(to);
      const from: TaskOwner = {
        unitKind: row.owner_unit_kind,
        unitCode: row.owner_unit_code,
        userId: row.owner_user_id,
      };
      if (from.unitKind === to.unitKind && from.unitCode === to.unitCode && from.userId === to.userId)
        throw validationError([
          { field: 'body.to', reason: 'same_owner', message: 'the task is already this owner’s' },
        ]);
      const isCountyHandOff = row.kind === 'county-task';
      if (isCountyHandOff && (to.unitKind !== 'county' || to.userId !== null))
        throw validationError([
          {
            field: 'body.to.unitKind',
            reason: 'county_only',
            message: 'a county hand-off is transferred to another county',
          },
        ]);
      // The county-tasks module moves the case: the old hand-off ends, the new county gets a new one, and
      // both come back to this queue through its events.
      if (isCountyHandOff && row.status === 'open')
        await deps.countyTasks.transfer(ctx, row.source_id, {
          countyCode: to.unitCode,
          reason: body.reason,
        });
      return act(
        ctx,
        id,
        'reassign',
        body.key,
        async (trx) => {
          if (!isCountyHandOff)
            await repo.set(trx, id, {
              owner_unit_kind: to.unitKind,
              owner_unit_code: to.unitCode,
              owner_user_id: to.userId,
              is_reassigned: true,
              updated_at: ctx.at,
            });
          return {
            note: body.reason,
            fromOwner: from,
            toOwner: to,
            details: { from, to, reason: body.reason, transferred: isCountyHandOff },
          };
        },
        (trx, task, reason) => enqueue(trx, newEvent('task.reassigned', { task, reason }, clock)),
      );
    },

    escalate: (ctx: Ctx, id: string, body: EscalateTaskRequest) =>
      act(
        ctx,
        id,
        'escalate',
        body.key,
        async (trx, row) => {
          if (row.escalation_level >= MAX_ESCALATION)
            throw new AppError('conflict', 'The task is already escalated to the commander');
          const level = row.escalation_level + 1;
          await repo.set(trx, id, { escalation_level: level, escalated_at: ctx.at, updated_at: ctx.at });
          return { note: body.reason, level, details: { reason: body.reason, level } };
        },
        (trx, task, reason) => enqueue(trx, newEvent('task.escalated', { task, reason }, clock)),
      ),

    league: (actor: Actor, q: TaskLeagueQuery): Promise<TaskLeague> => {
      if (!maySupervise(actor)) throw new AppError('forbidden', 'Only the supervisor reads the league');
      if (q.at !== undefined && q.at < EARLIEST_DAY)
        throw validationError([
          {
            field: 'query.at',
            reason: 'too_early',
            message: `The first day a league covers is ${EARLIEST_DAY}`,
          },
        ]);
      const now = clock.now();
      const at = q.at ? chinaNoon(q.at) : now;
      // The last week of the year 9999 ends in the year 10000, which no timestamptz holds.
      if (!isStorableTime(leaguePeriod(q.period, at).to))
        throw validationError([
          { field: 'query.at', reason: 'too_late', message: 'The period must end before the year 10000' },
        ]);
      return leagueOf(db, { unitKind: q.unitKind, period: q.period, at, now });
    },
  };
}
export type TasksService = ReturnType<typeof createTasksService>;

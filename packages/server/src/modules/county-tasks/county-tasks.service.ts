import type { AnswerTaskRequest, CountyTaskView } from '@fanzha/contracts';
import {
  countyTaskStatuses,
  isLiveTask,
  nextCountyTaskStatus,
  validateCountyCode,
  type Clock,
  type CountyTaskEvent,
  type CountyTaskStatus,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { countyTaskRepository as repo } from './county-tasks.repository';
import { emitTasks, issueTasks, type ReportHandOff } from './county-tasks.routing';
import { isOwnCounty, loadTaskViews, type CountyTaskRow } from '../case/index';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;

export const liveTaskStatuses = countyTaskStatuses.filter(isLiveTask);

/** County police work only their own county's tasks; the supervisor works all. */
const mayWork = (actor: Actor, task: { county_code: string }) =>
  actor.role === 'supervisor' || isOwnCounty(actor, task.county_code);

export function createCountyTasksService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  reports: ReportHandOff;
  wake: () => void;
}) {
  const { db, clock } = deps;

  /** Locks the task, checks scope and the move, and returns the row and the next status. */
  async function lockFor(trx: Trx, actor: Actor, id: string, event: CountyTaskEvent) {
    const row = await repo.lock(trx, id);
    if (!row || !mayWork(actor, row)) throw new AppError('not_found', 'No such task for your county');
    const next = nextCountyTaskStatus(row.status, event);
    if (!next) throw new AppError('conflict', `The task is ${row.status}: it cannot be ${event}ed`);
    return { row, next };
  }

  async function change(
    ctx: Ctx,
    id: string,
    event: CountyTaskEvent,
    apply: (trx: Trx, row: CountyTaskRow) => Promise<Record<string, unknown>>,
  ): Promise<CountyTaskView> {
    const view = await db.transaction().execute(async (trx) => {
      const { row, next } = await lockFor(trx, ctx.actor, id, event);
      const details = await apply(trx, row);
      await repo.set(trx, id, { status: next, updated_at: ctx.at });
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: `county-task.${event}`,
          objectType: 'county_task',
          objectId: id,
          result: 'success',
          details: { reportId: row.report_id, countyCode: row.county_code, ...details },
        }),
      );
      await emitTasks(trx, clock, [id], ctx.at);
      return (await loadTaskViews(trx, await repo.byIds(trx, [id]), ctx.at))[0]!;
    });
    deps.wake();
    return view;
  }

  return {
    async list(
      actor: Actor,
      q: {
        statuses: CountyTaskStatus[];
        county?: string | undefined;
        overdue?: boolean;
        reportId?: string;
        limit: number;
      },
    ): Promise<CountyTaskView[]> {
      const now = clock.now();
      const rows = await repo.list(db, {
        statuses: q.statuses,
        countyCode: actor.role === 'county_police' ? (actor.countyCode ?? '-') : q.county || undefined,
        reportId: q.reportId,
        overdueAt: q.overdue === undefined ? undefined : { isOverdue: q.overdue, now },
        limit: q.limit,
      });
      return loadTaskViews(db, rows, now);
    },

    async get(actor: Actor, id: string): Promise<CountyTaskView> {
      const row = await repo.get(db, id);
      if (!row || (actor.role === 'county_police' && !mayWork(actor, row)))
        throw new AppError('not_found', 'No such task for your county');
      return (await loadTaskViews(db, [row], clock.now()))[0]!;
    },

    accept: (ctx: Ctx, id: string) =>
      change(ctx, id, 'accept', async (trx, row) => {
        await repo.set(trx, id, { accepted_at: ctx.at, accepted_by: ctx.actor.userId });
        await deps.reports.accept(trx, row.report_id, ctx.at);
        return {};
      }),

    contact: (ctx: Ctx, id: string, body: { contactedAt?: string | undefined; note?: string | undefined }) =>
      change(ctx, id, 'contact', async (trx) => {
        const contactedAt = body.contactedAt ? new Date(body.contactedAt) : ctx.at;
        if (contactedAt > ctx.at)
          throw validationError([
            { field: 'body.contactedAt', reason: 'in_future', message: 'cannot be later than now' },
          ]);
        await repo.set(trx, id, { contacted_at: contactedAt });
        return { contactedAt: contactedAt.toISOString(), note: body.note ?? null };
      }),

    answer: (ctx: Ctx, id: string, body: AnswerTaskRequest) =>
      change(ctx, id, 'answer', async (trx, row) => {
        const contactedAt = body.contactedAt ? new Date(body.contactedAt) : (row.contacted_at ?? ctx.at);
        if (contactedAt > ctx.at)
          throw validationError([
            { field: 'body.contactedAt', reason: 'in_future', message: 'cannot be later than now' },
          ]);
        await repo.set(trx, id, {
          contacted_at: contactedAt,
          case_number: body.caseNumber ?? null,
          answer: body.answer,
          answered_at: ctx.at,
          answered_by: ctx.actor.userId,
        });
        await deps.reports.close(trx, row.report_id, ctx.at);
        return { caseNumber: body.caseNumber ?? null };
      }),

    /** Moves the case to another county, which gets a new task with fresh deadlines. */
    transfer: (ctx: Ctx, id: string, body: { countyCode: string; reason: string }) =>
      change(ctx, id, 'transfer', async (trx, row) => {
        const county = validateCountyCode(body.countyCode);
        if (!county.ok)
          throw validationError([
            { field: 'body.countyCode', reason: county.reason, message: county.message },
          ]);
        if (county.value.code === row.county_code)
          throw validationError([
            { field: 'body.countyCode', reason: 'same_county', message: 'the task is already this county’s' },
          ]);
        // The old task leaves the live set first, so the one-live-task-per-report index holds.
        await repo.set(trx, id, {
          status: 'transferred',
          transfer_reason: body.reason,
          transferred_at: ctx.at,
          transferred_by: ctx.actor.userId,
        });
        await issueTasks(
          trx,
          clock,
          [{ reportId: row.report_id, countyCode: county.value.code, transferredFrom: id }],
          ctx.at,
          deps.reports,
        );
        return { to: county.value.code, reason: body.reason };
      }),
  };
}
export type CountyTasksService = ReturnType<typeof createCountyTasksService>;

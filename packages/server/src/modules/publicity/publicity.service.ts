import type {
  CampaignBeforeAfter,
  CampaignView,
  CreateCampaignRequest,
  PublicityBrief,
  TaskReport,
} from '@fanzha/contracts';
import {
  addWeeks,
  ageBandNamesZh,
  beforeAfter,
  BRIEF_BASELINE_WEEKS,
  BRIEF_MIN_EXCESS,
  BRIEF_MIN_RATIO,
  BRIEF_MIN_REPORTS,
  briefLines,
  campaignChannelNamesZh,
  chinaWeekOf,
  countyLabel,
  fraudTypes,
  isOpenCampaign,
  nextCampaignStatus,
  validateCountyCode,
  weekOfDate,
  type CampaignEvent,
  type CampaignStatus,
  type Clock,
} from '@fanzha/domain';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { publicityRepository as repo, type CampaignRow } from './publicity.repository';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;

/** County police see and work only their own county's campaigns; the centre sees all. */
const countyOf = (actor: Actor, asked?: string) =>
  actor.role === 'county_police' ? (actor.countyCode ?? '-') : asked || undefined;
const mayRead = (actor: Actor, row: CampaignRow) =>
  actor.role !== 'county_police' || actor.countyCode === row.county_code;
/** Who may do what: the centre plans and cancels, the county accepts and completes (the supervisor too). */
const mayDo: Record<CampaignEvent, (actor: Actor, row: CampaignRow) => boolean> = {
  accept: (a, r) => a.role === 'supervisor' || (a.role === 'county_police' && a.countyCode === r.county_code),
  complete: (a, r) =>
    a.role === 'supervisor' || (a.role === 'county_police' && a.countyCode === r.county_code),
  cancel: (a) => a.role === 'supervisor' || a.role === 'analyst',
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** Past participles for the refusal's message ("cannot be accepted, completed, cancelled"). */
const eventDone: Record<CampaignEvent, string> = {
  accept: 'accepted',
  complete: 'completed',
  cancel: 'cancelled',
};
/** A retry asks for what the key made the first time; the key with another campaign is refused. */
const sameRequest = (a: CampaignRow, b: CampaignRow) =>
  a.county_code === b.county_code &&
  a.fraud_type === b.fraud_type &&
  a.age_band === b.age_band &&
  a.target_text === b.target_text &&
  a.channel === b.channel &&
  a.planned_on === b.planned_on &&
  a.due_at.getTime() === b.due_at.getTime() &&
  a.brief_week === b.brief_week;
const fraudTypeName = (code: string | null) => fraudTypes.find((t) => t.code === code)?.nameZh ?? null;

export function campaignView(r: CampaignRow, now: Date): CampaignView {
  return {
    id: r.id,
    countyCode: r.county_code,
    countyName: countyLabel(r.county_code) ?? null,
    fraudType: r.fraud_type,
    ageBand: r.age_band,
    targetText: r.target_text,
    channel: r.channel,
    plannedOn: r.planned_on,
    dueAt: r.due_at.toISOString(),
    isOverdue: isOpenCampaign(r.status) && now >= r.due_at,
    status: r.status,
    briefWeek: r.brief_week,
    briefReports: r.brief_reports,
    briefBaseline: r.brief_baseline,
    reach: r.reach,
    note: r.note,
    cancelReason: r.cancel_reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    acceptedAt: iso(r.accepted_at),
    doneAt: iso(r.done_at),
    cancelledAt: iso(r.cancelled_at),
  };
}

/** The campaign as a task of the supervision queue (督办): owned by the county's police. */
export function campaignTask(r: CampaignRow): TaskReport {
  const target = [
    countyLabel(r.county_code) ?? r.county_code,
    fraudTypeName(r.fraud_type),
    r.age_band ? ageBandNamesZh[r.age_band] : null,
    r.target_text,
  ].filter(Boolean);
  const status = r.status === 'done' ? 'done' : r.status === 'cancelled' ? 'cancelled' : 'open';
  return {
    kind: 'campaign',
    sourceId: r.id,
    title: `宣传活动：${target.join(' · ')}（${campaignChannelNamesZh[r.channel]}，${r.planned_on}）`.slice(
      0,
      200,
    ),
    reportId: null,
    owner: { unitKind: 'county', unitCode: r.county_code, userId: r.accepted_by },
    openedAt: r.created_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    status,
    doneAt: iso(r.done_at ?? r.cancelled_at),
    feedback:
      r.status === 'done'
        ? `触达 ${r.reach ?? 0} 人${r.note ? `：${r.note}` : ''}`.slice(0, 2000)
        : r.status === 'cancelled'
          ? `撤销：${r.cancel_reason ?? ''}`.slice(0, 2000)
          : null,
  };
}

export function createPublicityService(deps: { db: Kysely<DB>; clock: Clock; wake: () => void }) {
  const { db, clock } = deps;

  async function publish(trx: Trx, row: CampaignRow) {
    await enqueue(trx, newEvent('task.reported', { task: campaignTask(row) }, clock));
  }

  async function change(
    ctx: Ctx,
    id: string,
    event: CampaignEvent,
    patch: (row: CampaignRow) => Partial<CampaignRow>,
  ): Promise<CampaignView> {
    const view = await db.transaction().execute(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row || !mayRead(ctx.actor, row))
        throw new AppError('not_found', 'No such campaign for your county');
      if (!mayDo[event](ctx.actor, row))
        throw new AppError('forbidden', `Your role cannot ${event} a campaign`);
      const next = nextCampaignStatus(row.status, event);
      if (!next)
        throw new AppError('conflict', `The campaign is ${row.status}: it cannot be ${eventDone[event]}`);
      const changes = { ...patch(row), status: next, updated_at: ctx.at };
      await repo.set(trx, id, changes);
      const after = { ...row, ...changes };
      await appendAudit(
        trx,
        auditEntry(ctx, {
          action: `campaign.${event}`,
          objectType: 'publicity_campaign',
          objectId: id,
          result: 'success',
          details: { countyCode: row.county_code, from: row.status, to: next },
        }),
      );
      await publish(trx, after);
      return campaignView(after, ctx.at);
    });
    deps.wake();
    return view;
  }

  /** The brief of a week: rising groups with their figures, by the rule in `@fanzha/domain`. */
  async function brief(
    actor: Actor,
    q: { week?: string | undefined; county?: string | undefined; limit: number },
    on: Kysely<DB> | Trx = db,
  ) {
    const week = q.week ? weekOfDate(q.week) : chinaWeekOf(clock.now());
    const weeks = Array.from({ length: BRIEF_BASELINE_WEEKS + 1 }, (_, i) => addWeeks(week, -i));
    const rows = await repo.weeks(on, weeks, countyOf(actor, q.county));
    const lines = briefLines(
      week,
      rows.map((r) => ({
        week: r.week,
        countyCode: r.county_code,
        fraudType: r.fraud_type,
        ageBand: r.age_band,
        reports: r.reports,
        lossFen: r.loss_fen,
      })),
    );
    return {
      week,
      rule: {
        baselineWeeks: BRIEF_BASELINE_WEEKS,
        minReports: BRIEF_MIN_REPORTS,
        minExcess: BRIEF_MIN_EXCESS,
        minRatio: BRIEF_MIN_RATIO,
      },
      lines: lines.slice(0, q.limit).map((l) => ({ ...l, countyName: countyLabel(l.countyCode) ?? null })),
    } satisfies PublicityBrief;
  }

  return {
    brief: (actor: Actor, q: { week?: string | undefined; county?: string | undefined; limit: number }) =>
      brief(actor, q),

    async list(actor: Actor, q: { statuses?: CampaignStatus[]; county?: string | undefined; limit: number }) {
      const county = countyOf(actor, q.county);
      const rows = await repo.list(db, {
        ...(q.statuses ? { statuses: q.statuses } : {}),
        ...(county ? { county } : {}),
        limit: q.limit,
      });
      const now = clock.now();
      return rows.map((r) => campaignView(r, now));
    },

    async get(actor: Actor, id: string): Promise<CampaignView> {
      const row = await repo.get(db, id);
      if (!row || !mayRead(actor, row)) throw new AppError('not_found', 'No such campaign for your county');
      return campaignView(row, clock.now());
    },

    /** Plans a campaign for a county (idempotent by key): a task for the county's police. */
    async create(ctx: Ctx, body: CreateCampaignRequest): Promise<CampaignView> {
      const county = validateCountyCode(body.countyCode);
      if (!county.ok)
        throw validationError([{ field: 'body.countyCode', reason: county.reason, message: county.message }]);
      const dueAt = new Date(body.dueAt);
      if (dueAt <= ctx.at)
        throw validationError([
          { field: 'body.dueAt', reason: 'in_past', message: 'must be later than now' },
        ]);
      // Held on a day that begins (China time) after its deadline, it could never be reported done in time.
      if (new Date(`${body.plannedOn}T00:00:00+08:00`) > dueAt)
        throw validationError([
          {
            field: 'body.plannedOn',
            reason: 'after_due',
            message: 'is after the campaign’s deadline (dueAt)',
          },
        ]);
      if (!body.fraudType && !body.ageBand && !body.targetText)
        throw validationError([
          {
            field: 'body.targetText',
            reason: 'required',
            message: 'name a fraud type, an age band or a target group',
          },
        ]);
      const briefWeek = body.briefWeek ? weekOfDate(body.briefWeek) : null;
      const view = await db.transaction().execute(async (trx) => {
        const id = randomUUID();
        let figures: { reports: number; baseline: number } | undefined;
        if (briefWeek && body.fraudType && body.ageBand) {
          const line = (
            await brief(ctx.actor, { week: briefWeek, county: county.value.code, limit: 500 }, trx)
          ).lines.find((l) => l.fraudType === body.fraudType && l.ageBand === body.ageBand);
          if (line) figures = { reports: line.reports, baseline: line.baseline };
        }
        const row: CampaignRow = {
          id,
          idempotency_key: body.key,
          county_code: county.value.code,
          fraud_type: body.fraudType ?? null,
          age_band: body.ageBand ?? null,
          target_text: body.targetText ?? null,
          channel: body.channel,
          planned_on: body.plannedOn,
          due_at: dueAt,
          status: 'planned',
          brief_week: briefWeek,
          brief_reports: figures?.reports ?? null,
          brief_baseline: figures?.baseline ?? null,
          reach: null,
          note: null,
          cancel_reason: null,
          created_by: ctx.actor.userId,
          created_at: ctx.at,
          accepted_by: null,
          accepted_at: null,
          done_by: null,
          done_at: null,
          cancelled_by: null,
          cancelled_at: null,
          updated_at: ctx.at,
        };
        if (!(await repo.insertCampaign(trx, row))) {
          const earlier = await repo.byKey(trx, body.key);
          if (!earlier || earlier.created_by !== ctx.actor.userId || !sameRequest(earlier, row))
            throw new AppError('conflict', 'This idempotency key was used for another campaign');
          return campaignView(earlier, ctx.at);
        }
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'campaign.create',
            objectType: 'publicity_campaign',
            objectId: id,
            result: 'success',
            details: {
              countyCode: row.county_code,
              fraudType: row.fraud_type,
              ageBand: row.age_band,
              channel: row.channel,
            },
          }),
        );
        await publish(trx, row);
        return campaignView(row, ctx.at);
      });
      deps.wake();
      return view;
    },

    accept: (ctx: Ctx, id: string) =>
      change(ctx, id, 'accept', () => ({ accepted_at: ctx.at, accepted_by: ctx.actor.userId })),

    complete: (ctx: Ctx, id: string, body: { reach: number; note?: string | undefined }) =>
      change(ctx, id, 'complete', (row) => ({
        reach: body.reach,
        note: body.note || null,
        done_at: ctx.at,
        done_by: ctx.actor.userId,
        accepted_by: row.accepted_by ?? ctx.actor.userId,
        accepted_at: row.accepted_at ?? ctx.at,
      })),

    cancel: (ctx: Ctx, id: string, body: { reason: string }) =>
      change(ctx, id, 'cancel', () => ({
        cancel_reason: body.reason,
        cancelled_at: ctx.at,
        cancelled_by: ctx.actor.userId,
      })),

    /** Reports per week in the campaign's group, `weeks` weeks before and after its week. */
    async beforeAfter(actor: Actor, id: string, weeks: number): Promise<CampaignBeforeAfter> {
      const row = await repo.get(db, id);
      if (!row || !mayRead(actor, row)) throw new AppError('not_found', 'No such campaign for your county');
      const week = weekOfDate(row.planned_on);
      const rows = await repo.groupWeeks(db, {
        county: row.county_code,
        fraudType: row.fraud_type,
        ageBand: row.age_band,
        from: addWeeks(week, -weeks),
        to: addWeeks(week, weeks),
      });
      const weekly = new Map(rows.map((r) => [r.week, Number(r.reports)]));
      return { campaignId: id, week, weeks, ...beforeAfter(week, chinaWeekOf(clock.now()), weeks, weekly) };
    },
  };
}
export type PublicityService = ReturnType<typeof createPublicityService>;

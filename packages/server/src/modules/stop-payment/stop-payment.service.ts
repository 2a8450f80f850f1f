import type { StopPaymentView } from '@fanzha/contracts';
import {
  isOpenStatus,
  planFirstLayer,
  stopPaymentStatuses,
  type DraftAccount,
  type EventEnvelope,
  type StopPaymentStatus,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { newEvent } from '../../platform/events';
import { AppError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { isInScope, loadStopPaymentViews as loadViews, type StopPaymentRow } from '../case/index';
import { createAnswer } from './stop-payment.answer';
import { createDeskActions } from './stop-payment.desk';
import { changedEvent, createRequestWriter, type NewRequest } from './stop-payment.requests';
import { stopPaymentRepository as repo, type ReportFacts } from './stop-payment.repository';
import type { StopPaymentContext, StopPaymentDeps, Trx } from './stop-payment.shared';

/** A first-layer account as the intake draft has it right now. */
export type FirstLayerAccount = DraftAccount;
export type { NewRequest, ReportFacts, StopPaymentDeps };

export function createStopPaymentService(deps: StopPaymentDeps) {
  const { db, clock } = deps;

  /** The current views of requests changed in `trx`, read back (for changes made elsewhere), as events. */
  async function changedEvents(trx: Trx, ids: string[], events: EventEnvelope[]): Promise<StopPaymentView[]> {
    const rows = await repo.withFacts(trx, ids);
    const now = clock.now();
    const views = await loadViews(
      trx,
      rows.map((r) => r.row),
      now,
    );
    views.forEach((request, i) => {
      const report = rows[i]!.report;
      events.push(
        newEvent(
          'stop-payment.changed',
          { request, reportCreatedBy: report.createdBy, owningCountyCode: report.owningCountyCode },
          clock,
        ),
      );
    });
    return views;
  }

  const context: StopPaymentContext = {
    ...deps,
    writer: createRequestWriter(deps),
    changedEvents: async (trx, ids, events) => void (await changedEvents(trx, ids, events)),
  };
  const desk = createDeskActions(context);

  return {
    ...desk,
    answer: createAnswer(context),

    /** Emits the current views of requests changed elsewhere (freezes, returns, lapses) in `trx`. */
    async emitChanged(trx: Transaction<DB>, ids: string[]): Promise<StopPaymentView[]> {
      const events: EventEnvelope[] = [];
      const views = await changedEvents(trx, ids, events);
      await enqueue(trx, ...events);
      return views;
    },

    /**
     * Whole reports' first-layer requests, pending, in one insert; their events are added to `events` (for the
     * caller's one enqueue). Returns the views as written.
     */
    createRequests: (
      trx: Trx,
      news: NewRequest[],
      reports: Map<string, ReportFacts>,
      now: Date,
      events: EventEnvelope[],
    ) => context.writer.create(trx, news, reports, now, events),

    /** The first-layer requests of these reports, by report (a retried intake answers what it made). */
    firstLayerIds: (db: Kysely<DB> | Trx, reportIds: string[]) => repo.firstLayerIds(db, reportIds),

    /** The ids of a report's requests still in play. */
    openIdsOf: (db: Kysely<DB> | Trx, reportId: string) => repo.openIdsOf(db, reportId),

    /**
     * Push while typing: makes the open first-layer requests of a draft match its valid accounts —
     * new accounts appear at the desk as pending, corrected ones change, removed ones are withdrawn.
     * Requests already sent are left alone. Their events go to `events`. Returns the ids that changed.
     */
    async syncFirstLayer(
      trx: Trx,
      report: ReportFacts,
      accounts: FirstLayerAccount[],
      now: Date,
      events: EventEnvelope[],
    ): Promise<string[]> {
      const { existing, deeper } = await repo.firstLayerOf(trx, report.id);
      const plan = planFirstLayer(
        existing.map((r) => ({
          id: r.id,
          accountNumber: r.account_number,
          accountName: r.account_name,
          bankCode: r.bank_code,
          amountFen: r.amount_fen,
          transferredAt: r.transferred_at,
          status: r.status,
        })),
        deeper,
        accounts,
      );
      const added = await context.writer.create(
        trx,
        plan.added.map((a) => ({
          reportId: report.id,
          parentId: null,
          layer: 1,
          account: { number: a.number, name: a.name, bankCode: a.bankCode },
          amountFen: a.amountFen,
          transferredAt: a.transferredAt,
        })),
        new Map([[report.id, report]]),
        now,
        events,
      );
      const byId = new Map(existing.map((r) => [r.id, r]));
      const changedRows: StopPaymentRow[] = [];
      for (const { id, account: a } of plan.corrected) {
        const patch = {
          account_name: a.name,
          amount_fen: a.amountFen,
          bank_code: a.bankCode,
          transferred_at: a.transferredAt,
          updated_at: now,
        };
        await repo.update(trx, [id], patch);
        changedRows.push({ ...byId.get(id)!, ...patch });
      }
      const withdrawn = { status: 'withdrawn' as const, updated_at: now };
      await repo.update(trx, plan.withdrawn, withdrawn);
      changedRows.push(...plan.withdrawn.map((id) => ({ ...byId.get(id)!, ...withdrawn })));
      for (const row of changedRows) events.push(changedEvent(clock, row, report, now).event);
      return [...added.map((v) => v.id), ...changedRows.map((r) => r.id)];
    },

    /**
     * One page of the queue: newest first by creation (then id), so `before` (the last row's creation time and
     * id) reads the next, older page without gaps or repeats; each page is sorted most urgent first.
     */
    async queue(
      actor: Actor,
      query: {
        statuses: StopPaymentStatus[];
        bank?: string | undefined;
        reportId?: string | undefined;
        isExpiring?: boolean;
        before?: { createdAt: Date; id: string } | undefined;
        limit: number;
      },
    ): Promise<{ requests: StopPaymentView[]; nextCursor: string | null; hasMore: boolean }> {
      const now = clock.now();
      if (query.isExpiring)
        return {
          requests: await loadViews(db, await repo.expiring(db, actor, query.limit, now), now),
          nextCursor: null,
          hasMore: false,
        };
      const rows = await repo.queuePage(db, actor, query);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const hasMore = rows.length > query.limit;
      const views = await loadViews(db, page, now);
      // Most urgent first; the score moves with time, so it is computed on read.
      return {
        requests: views.sort((a, b) => b.urgency - a.urgency),
        nextCursor: hasMore && last ? `${last.created_at.getTime()}.${last.id}` : null,
        hasMore,
      };
    },

    async get(actor: Actor, id: string): Promise<StopPaymentView> {
      const row = await repo.get(db, actor, id);
      if (!row || !(await isInScope(db, actor, row.report_id)))
        throw new AppError('not_found', 'No such stop-payment request');
      return (await loadViews(db, [row], clock.now()))[0]!;
    },
  };
}
export type StopPaymentService = ReturnType<typeof createStopPaymentService>;

export const openStatuses = stopPaymentStatuses.filter(isOpenStatus);

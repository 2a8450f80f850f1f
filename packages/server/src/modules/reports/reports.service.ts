import type { ReportDraftInput, ReportList, ReportView } from '@fanzha/contracts';
import type { Clock, EventEnvelope } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { issueTasks } from '../county-tasks/index';
import { reportHandOff } from './reports.repository';
import type { StopPaymentService } from '../stop-payment/index';
import { reportMoney } from '../case/index';
import {
  duplicateKeyProblems,
  firstLayerAccounts,
  nextReportNumber,
  reportColumns,
  transferRows,
} from './report-columns';
import { reportsRepository as repo } from './reports.repository';
import { seesPersonalData, toReportView } from '../case/index';
import { openDraftFromEpisode, type EpisodeDraft } from './reports.from-episode';

type Ctx = AuditContext & { actor: Actor };

/** Roles that see every report; the others see only their own (call-takers) or their county's (police). */
const seesAllReports = new Set(['stop_payment_officer', 'supervisor', 'analyst']);

/** A draft opened from a warning episode and not yet filed: any call-taker may take it up. */
const isEpisodeDraft = (r: { status: string; in_intake_queue: boolean }) =>
  r.status === 'draft' && r.in_intake_queue;

/** Whether the actor may change the draft: its taker, the supervisor, or a call-taker taking up an episode's. */
const canChangeDraft = (actor: Actor, r: { created_by: string; status: string; in_intake_queue: boolean }) =>
  r.created_by === actor.userId ||
  actor.role === 'supervisor' ||
  (actor.role === 'call_taker' && isEpisodeDraft(r));

export function createReportsService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  stopPayments: StopPaymentService;
  wake: () => void;
}) {
  const { db, clock } = deps;

  async function viewOf(
    trx: Kysely<DB> | Transaction<DB>,
    id: string,
    actor: Actor,
    opts: { isUnmasked?: boolean } = {},
  ): Promise<ReportView> {
    const found = await repo.forView(trx, id);
    if (!found || !canRead(actor, found.report)) throw new AppError('not_found', 'No such report');
    const [requests, money] = await Promise.all([
      deps.stopPayments.firstLayerIds(trx, [id]),
      reportMoney(trx, id, clock.now()),
    ]);
    const open = requests.filter((q) => q.status !== 'withdrawn');
    return toReportView(found.report, found.transfers, new Map(open.map((q) => [q.account_number, q.id])), {
      isMasked: !(opts.isUnmasked || seesPersonalData(actor, found.report)),
      createdBy: found.creatorUsername,
      now: clock.now(),
      money,
    });
  }

  function canRead(
    actor: Actor,
    r: {
      created_by: string;
      owning_county_code: string | null;
      status: string;
      in_intake_queue: boolean;
    },
  ): boolean {
    if (seesAllReports.has(actor.role)) return true;
    // A call-taker's own reports, and the intake queue: drafts opened from warning episodes.
    if (actor.role === 'call_taker') return r.created_by === actor.userId || isEpisodeDraft(r);
    if (actor.role === 'county_police')
      return r.status !== 'draft' && r.owning_county_code === actor.countyCode;
    return false;
  }

  return {
    /**
     * Autosave of the intake draft. Creates the report on first save (version 0), refuses a stale
     * version, and — in the same transaction — pushes every valid fraudster account to the desk.
     */
    async saveDraft(ctx: Ctx, id: string, d: ReportDraftInput): Promise<ReportView> {
      const now = ctx.at;
      const duplicates = duplicateKeyProblems(d);
      if (duplicates.length > 0) throw validationError(duplicates);
      const accounts = firstLayerAccounts(d);
      const view = await db.transaction().execute(async (trx) => {
        const current = await repo.lockForDraft(trx, id);
        const fields = reportColumns(d, now);
        // The first valid account marks when the case first reached the desk.
        const pushed =
          accounts.length > 0 && !current?.first_account_pushed_at ? { first_account_pushed_at: now } : {};
        let version: number;
        let number: string;
        if (!current) {
          if (d.version !== 0) throw new AppError('not_found', 'No such report (create it with version 0)');
          version = 1;
          const created = await repo.insertDraft(trx, {
            id,
            number: nextReportNumber(now),
            version,
            status: 'draft',
            created_by: ctx.actor.userId,
            created_at: now,
            ...fields,
            ...pushed,
          });
          // The same first save sent twice at once (a client retrying): the other one created it.
          if (created === undefined)
            throw new AppError('conflict', 'The draft was created elsewhere at the same moment: reload it');
          number = created;
        } else {
          if (!canChangeDraft(ctx.actor, current)) throw new AppError('not_found', 'No such report');
          if (current.status !== 'draft')
            throw new AppError('conflict', 'The report is submitted: it is no longer a draft');
          if (current.version !== d.version)
            throw new AppError(
              'conflict',
              `The draft changed elsewhere (now version ${current.version}, you had ${d.version}): reload it`,
            );
          version = current.version + 1;
          number = current.number;
          // A call-taker who takes up a draft opened from a warning episode makes it theirs.
          const claim =
            isEpisodeDraft(current) && ctx.actor.role === 'call_taker'
              ? { created_by: ctx.actor.userId, in_intake_queue: false }
              : {};
          await repo.update(trx, id, { ...fields, ...pushed, ...claim, version });
          await repo.deleteTransfers(trx, id);
        }
        await repo.insertTransfers(trx, transferRows(id, d));
        const events: EventEnvelope[] = [];
        await deps.stopPayments.syncFirstLayer(
          trx,
          {
            id,
            number,
            createdBy: current?.created_by ?? ctx.actor.userId,
            owningCountyCode: current?.owning_county_code ?? null,
          },
          accounts,
          now,
          events,
        );
        await enqueue(
          trx,
          ...events,
          newEvent(
            'report.changed',
            { id, number: '', status: 'draft', version, createdBy: ctx.actor.userId },
            clock,
          ),
        );
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'report.save_draft',
            objectType: 'report',
            objectId: id,
            result: 'success',
            details: { version, accounts: accounts.length },
          }),
        );
        return viewOf(trx, id, ctx.actor);
      });
      deps.wake();
      return view;
    },

    get: (actor: Actor, id: string) => viewOf(db, id, actor),

    /** The intake draft for a warning episode's person who had already paid; see `openDraftFromEpisode`. */
    openFromEpisode: (trx: Transaction<DB>, ctx: Ctx, draft: EpisodeDraft) =>
      openDraftFromEpisode({ clock, stopPayments: deps.stopPayments }, trx, ctx, draft),

    /** Where a report stands (number, status), for the episode that opened it. */
    brief: (d: Kysely<DB> | Transaction<DB>, id: string) => repo.brief(d, id),

    /** Full personal data for a role that normally sees it masked: the reason is audited. */
    async unmask(ctx: Ctx, id: string, reason: string): Promise<ReportView> {
      const view = await viewOf(db, id, ctx.actor, { isUnmasked: true });
      await appendAudit(
        db,
        auditEntry(ctx, {
          action: 'report.unmask',
          objectType: 'report',
          objectId: id,
          result: 'success',
          details: { reason },
        }),
      );
      return view;
    },

    async submit(ctx: Ctx, id: string, version: number): Promise<ReportView> {
      const view = await db.transaction().execute(async (trx) => {
        const r = await repo.lockWhole(trx, id);
        if (!r || !canChangeDraft(ctx.actor, r)) throw new AppError('not_found', 'No such report');
        if (r.status !== 'draft') throw new AppError('conflict', 'The report is already submitted');
        if (r.version !== version)
          throw new AppError('conflict', `The draft changed elsewhere (now version ${r.version}): reload it`);
        const current = await viewOf(trx, id, ctx.actor);
        if (current.problems.length > 0) throw validationError(current.problems);
        await repo.update(trx, id, {
          ...(isEpisodeDraft(r) ? { created_by: ctx.actor.userId, in_intake_queue: false } : {}),
          status: 'registered',
          submitted_at: ctx.at,
          version: version + 1,
          updated_at: ctx.at,
        });
        // Registered and handed to the victim's county of residence in one step (属地推送).
        await issueTasks(
          trx,
          clock,
          [{ reportId: id, countyCode: r.victim_county_code! }],
          ctx.at,
          reportHandOff,
        );
        await enqueue(
          trx,
          newEvent(
            'report.changed',
            { id, number: r.number, status: 'routed', version: version + 1, createdBy: r.created_by },
            clock,
          ),
        );
        // The desk's and the county's views of the report's requests now carry the owning county.
        await deps.stopPayments.emitChanged(trx, await deps.stopPayments.openIdsOf(trx, id));
        await appendAudit(
          trx,
          auditEntry(ctx, { action: 'report.submit', objectType: 'report', objectId: id, result: 'success' }),
        );
        return viewOf(trx, id, ctx.actor);
      });
      deps.wake();
      return view;
    },

    async list(
      actor: Actor,
      q: { status?: string | undefined; mine?: boolean; limit: number },
    ): Promise<ReportList> {
      const county = actor.role === 'county_police' ? { owningCounty: actor.countyCode } : {};
      if (actor.role !== 'county_police' && !seesAllReports.has(actor.role) && actor.role !== 'call_taker')
        return { reports: [] };
      const rows = await repo.list(
        db,
        {
          status: q.status,
          ...(actor.role === 'call_taker' || q.mine ? { createdBy: actor.userId } : {}),
          // A call-taker's list is also the intake queue: drafts opened from warning episodes.
          orEpisodeDrafts: actor.role === 'call_taker' && q.mine !== true,
          ...county,
        },
        q.limit,
      );
      return {
        reports: rows.map((r) => ({
          id: r.id,
          number: r.number,
          status: r.status,
          fraudType: r.fraud_type as ReportList['reports'][number]['fraudType'],
          countyCode: r.victim_county_code,
          totalLossFen: r.total_loss_fen,
          callAnsweredAt: r.call_answered_at.toISOString(),
          updatedAt: r.updated_at.toISOString(),
          fromEpisodeId: r.from_episode_id,
        })),
      };
    },
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;

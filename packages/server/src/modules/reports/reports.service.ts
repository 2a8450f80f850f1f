import type { ReportDraftInput, ReportList, ReportView } from '@fanzha/contracts';
import { validateBankCard, type Clock } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { AppError, validationError } from '../../platform/http/errors';
import { enqueue } from '../../platform/outbox/outbox';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { issueCountyTasks } from '../county-tasks/index';
import type { FirstLayerAccount, StopPaymentService } from '../stop-payment/index';
import { reportMoney } from '../case/index';
import { nextReportNumber, reportColumns } from './report-columns';
import { seesPersonalData, toReportView } from '../case/index';

type Ctx = AuditContext & { actor: Actor };

/** Roles that see every report; the others see only their own (call-takers) or their county's (police). */
const seesAllReports = new Set(['stop_payment_officer', 'supervisor', 'analyst']);

/** The accounts of a draft that are valid card numbers, one per account with its amounts summed. */
export function firstLayerAccounts(d: ReportDraftInput): FirstLayerAccount[] {
  const byNumber = new Map<string, FirstLayerAccount>();
  for (const t of d.transfers) {
    if (!t.toAccount.number) continue;
    const card = validateBankCard(t.toAccount.number);
    if (!card.ok) continue;
    const at = t.transferredAt ? new Date(t.transferredAt) : null;
    const seen = byNumber.get(card.value.number);
    if (!seen) {
      byNumber.set(card.value.number, {
        number: card.value.number,
        bankCode: card.value.bankCode,
        name: t.toAccount.name?.trim() || null,
        amountFen: t.amountFen ?? 0,
        transferredAt: at,
      });
    } else {
      seen.amountFen += t.amountFen ?? 0;
      seen.name ??= t.toAccount.name?.trim() || null;
      if (at && (!seen.transferredAt || at < seen.transferredAt)) seen.transferredAt = at;
    }
  }
  return [...byNumber.values()];
}

function bankOfCard(number: string | undefined): string | null {
  const card = number ? validateBankCard(number) : undefined;
  return card?.ok ? card.value.bankCode : null;
}

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
    const r = await trx.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r || !canRead(actor, r)) throw new AppError('not_found', 'No such report');
    const [transfers, requests, creator, money] = await Promise.all([
      trx.selectFrom('report_transfer').selectAll().where('report_id', '=', id).execute(),
      trx
        .selectFrom('stop_payment')
        .select(['id', 'account_number'])
        .where('report_id', '=', id)
        .where('parent_id', 'is', null)
        .where('status', '<>', 'withdrawn')
        .execute(),
      trx.selectFrom('app_user').select('username').where('id', '=', r.created_by).executeTakeFirst(),
      reportMoney(trx, id, clock.now()),
    ]);
    return toReportView(r, transfers, new Map(requests.map((q) => [q.account_number, q.id])), {
      isMasked: !(opts.isUnmasked || seesPersonalData(actor, r)),
      createdBy: creator?.username ?? '',
      now: clock.now(),
      money,
    });
  }

  function canRead(
    actor: Actor,
    r: { created_by: string; owning_county_code: string | null; status: string },
  ): boolean {
    if (seesAllReports.has(actor.role)) return true;
    if (actor.role === 'call_taker') return r.created_by === actor.userId;
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
      const accounts = firstLayerAccounts(d);
      const view = await db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('report')
          .select(['version', 'status', 'created_by', 'first_account_pushed_at'])
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        const fields = reportColumns(d, now);
        let version: number;
        if (!current) {
          if (d.version !== 0) throw new AppError('not_found', 'No such report (create it with version 0)');
          version = 1;
          await trx
            .insertInto('report')
            .values({
              id,
              number: nextReportNumber(now),
              version,
              status: 'draft',
              created_by: ctx.actor.userId,
              created_at: now,
              ...fields,
            })
            .execute();
        } else {
          if (current.created_by !== ctx.actor.userId && ctx.actor.role !== 'supervisor')
            throw new AppError('not_found', 'No such report');
          if (current.status !== 'draft')
            throw new AppError('conflict', 'The report is submitted: it is no longer a draft');
          if (current.version !== d.version)
            throw new AppError(
              'conflict',
              `The draft changed elsewhere (now version ${current.version}, you had ${d.version}): reload it`,
            );
          version = current.version + 1;
          await trx
            .updateTable('report')
            .set({ ...fields, version })
            .where('id', '=', id)
            .execute();
          await trx.deleteFrom('report_transfer').where('report_id', '=', id).execute();
        }
        if (d.transfers.length > 0)
          await trx
            .insertInto('report_transfer')
            .values(
              d.transfers.map((t, position) => ({
                report_id: id,
                key: t.key,
                position,
                transferred_at: t.transferredAt ? new Date(t.transferredAt) : null,
                amount_fen: t.amountFen ?? null,
                victim_account: t.victimAccount?.trim() || null,
                to_number: t.toAccount.number?.replace(/[\s-]/g, '') || null,
                to_name: t.toAccount.name?.trim() || null,
                to_bank_code: t.toAccount.bankCode ?? bankOfCard(t.toAccount.number),
              })),
            )
            .execute();
        await deps.stopPayments.syncFirstLayer(trx, id, accounts, now);
        if (accounts.length > 0 && !current?.first_account_pushed_at)
          await trx
            .updateTable('report')
            .set({ first_account_pushed_at: now })
            .where('id', '=', id)
            .where('first_account_pushed_at', 'is', null)
            .execute();
        await enqueue(
          trx,
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
        const r = await trx
          .selectFrom('report')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!r || (r.created_by !== ctx.actor.userId && ctx.actor.role !== 'supervisor'))
          throw new AppError('not_found', 'No such report');
        if (r.status !== 'draft') throw new AppError('conflict', 'The report is already submitted');
        if (r.version !== version)
          throw new AppError('conflict', `The draft changed elsewhere (now version ${r.version}): reload it`);
        const current = await viewOf(trx, id, ctx.actor);
        if (current.problems.length > 0) throw validationError(current.problems);
        await trx
          .updateTable('report')
          .set({ status: 'registered', submitted_at: ctx.at, version: version + 1, updated_at: ctx.at })
          .where('id', '=', id)
          .execute();
        // Registered and handed to the victim's county of residence in one step (属地推送).
        await issueCountyTasks(trx, clock, [{ reportId: id, countyCode: r.victim_county_code! }], ctx.at);
        await enqueue(
          trx,
          newEvent(
            'report.changed',
            { id, number: r.number, status: 'routed', version: version + 1, createdBy: r.created_by },
            clock,
          ),
        );
        // The desk's and the county's views of the report's requests now carry the owning county.
        const requests = await trx
          .selectFrom('stop_payment')
          .select('id')
          .where('report_id', '=', id)
          .where('status', '<>', 'withdrawn')
          .execute();
        await deps.stopPayments.emitChanged(
          trx,
          requests.map((q) => q.id),
        );
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
      let query = db
        .selectFrom('report')
        .select([
          'id',
          'number',
          'status',
          'fraud_type',
          'victim_county_code',
          'total_loss_fen',
          'call_answered_at',
          'updated_at',
        ]);
      if (q.status) query = query.where('status', '=', q.status as 'draft');
      if (actor.role === 'call_taker' || q.mine) query = query.where('created_by', '=', actor.userId);
      if (actor.role === 'county_police')
        query = query.where('owning_county_code', '=', actor.countyCode).where('status', '<>', 'draft');
      else if (!seesAllReports.has(actor.role) && actor.role !== 'call_taker') return { reports: [] };
      const rows = await query.orderBy('updated_at', 'desc').limit(q.limit).execute();
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
        })),
      };
    },
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;

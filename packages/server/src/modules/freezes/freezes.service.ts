import { randomUUID } from 'node:crypto';
import type {
  FreezeRequest,
  FundDecisionRequest,
  FundDecisionView,
  MeasureConfirmationRequest,
  ReturnConfirmation,
  StopPaymentView,
} from '@fanzha/contracts';
import {
  findBankByCode,
  FREEZE_DEFAULT_MONTHS,
  freezeLimitFrom,
  openFundDecisionStatuses,
  returnDueAt,
  validateBankCard,
  type Clock,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { BankInstructionService } from '../bank-protocol/index';
import type { Actor } from '../../platform/actor';
import { lockRequest, type StopPaymentService } from '../stop-payment/index';
import { confirmMeasure } from './freezes.confirm';
import { isInScope, loadDecisionViews, reportsOwnedBy } from '../case/index';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;

const problem = (field: string, reason: string, message: string) =>
  validationError([{ field, reason, message }]);

/**
 * Freezes (冻结), their renewals, and the decisions that end them: release (解冻) and return of funds
 * (资金返还). Each rule is checked here with a clear answer, and again by the database's constraints.
 */
export function createFreezesService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  stopPayments: StopPaymentService;
  bankInstructions: BankInstructionService;
  wake: () => void;
}) {
  const { db, bankInstructions } = deps;
  const confirmDeps = { db, bankInstructions, stopPayments: deps.stopPayments, wake: deps.wake };

  /** The report number and the frozen account, which every instruction about a freeze names. */
  async function freezeContext(trx: Trx, stopPaymentId: string) {
    return trx
      .selectFrom('stop_payment as s')
      .innerJoin('report as r', 'r.id', 's.report_id')
      .select(['s.account_number', 's.account_name', 's.bank_code', 'r.number as report_number'])
      .where('s.id', '=', stopPaymentId)
      .executeTakeFirstOrThrow();
  }

  async function lockFreeze(trx: Trx, actor: Actor, id: string) {
    const freeze = await trx
      .selectFrom('account_freeze')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!freeze || !(await isInScope(trx, actor, freeze.report_id)))
      throw new AppError('not_found', 'No such freeze');
    return freeze;
  }

  async function lockDecision(trx: Trx, actor: Actor, id: string) {
    const d = await trx
      .selectFrom('fund_decision')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!d || !(await isInScope(trx, actor, d.report_id)))
      throw new AppError('not_found', 'No such decision');
    return d;
  }

  async function decisionView(trx: Trx, id: string, now: Date): Promise<FundDecisionView> {
    const d = await trx
      .selectFrom('fund_decision')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return (await loadDecisionViews(trx, [d], now))[0]!;
  }

  /** Runs a change, audits it and emits the account's new view, all in one transaction. */
  async function run<T>(
    work: (trx: Trx) => Promise<{ result: T; stopPaymentId: string }>,
  ): Promise<{ result: T; view: StopPaymentView }> {
    const done = await db.transaction().execute(async (trx) => {
      const { result, stopPaymentId } = await work(trx);
      const [view] = await deps.stopPayments.emitChanged(trx, [stopPaymentId]);
      return { result, view: view! };
    });
    deps.wake();
    return done;
  }

  const audit = (
    trx: Trx,
    ctx: Ctx,
    action: string,
    objectType: string,
    objectId: string,
    details: Record<string, unknown>,
  ) => appendAudit(trx, auditEntry(ctx, { action, objectType, objectId, result: 'success', details }));

  return {
    /** Converts a stopped account into a freeze by decision, for at most the amount involved. */
    freeze: (ctx: Ctx, stopPaymentId: string, body: FreezeRequest): Promise<StopPaymentView> =>
      run(async (trx) => {
        const sp = await lockRequest(trx, ctx.actor, stopPaymentId);
        if (!sp.stopped_at)
          throw new AppError('conflict', 'Only an account the bank has stopped can be frozen');
        if (sp.renewed_at)
          throw new AppError('conflict', 'This stop was renewed: freeze the second emergency stop instead');
        const live = await trx
          .selectFrom('account_freeze')
          .select('status')
          .where('stop_payment_id', '=', stopPaymentId)
          .where('status', 'in', ['requested', 'active'])
          .executeTakeFirst();
        if (live)
          throw new AppError(
            'conflict',
            live.status === 'active'
              ? 'The account is already frozen: renew the freeze instead'
              : 'A freeze of this account is already with the bank, awaiting its confirmation',
          );
        if (body.amountFen > sp.amount_fen)
          throw problem(
            'body.amountFen',
            'above_involved',
            `at most the amount involved (${sp.amount_fen} fen reached this account)`,
          );
        const endsAt = freezeEnd(body.endsAt, ctx.at, ctx.at);
        const id = randomUUID();
        await trx
          .insertInto('account_freeze')
          .values({
            id,
            stop_payment_id: stopPaymentId,
            report_id: sp.report_id,
            decision_number: body.decisionNumber,
            amount_fen: body.amountFen,
            requested_fen: body.amountFen,
            starts_at: ctx.at,
            ends_at: endsAt,
            reason: body.reason,
            appeal_channel: body.appealChannel,
            status: 'requested',
            decided_by: ctx.actor.userId,
            created_at: ctx.at,
            updated_at: ctx.at,
          })
          .execute();
        const c = await freezeContext(trx, stopPaymentId);
        // The law puts the freeze at the bank: it takes effect when the bank confirms it.
        await bankInstructions.issue(
          trx,
          [
            {
              kind: 'freeze',
              id,
              bankCode: c.bank_code,
              account: { number: c.account_number, name: c.account_name },
              reportId: sp.report_id,
              reportNumber: c.report_number,
              stopPaymentId,
              deadlineAt: endsAt,
              fields: {
                stopInstructionId: stopPaymentId,
                amountFen: body.amountFen,
                decisionNumber: body.decisionNumber,
                endsAt: endsAt.toISOString(),
                reason: body.reason,
                appealChannel: body.appealChannel,
              },
            },
          ],
          ctx.at,
        );
        await audit(trx, ctx, 'freeze.create', 'freeze', id, {
          stopPaymentId,
          amountFen: body.amountFen,
          endsAt: endsAt.toISOString(),
          decisionNumber: body.decisionNumber,
        });
        return { result: null, stopPaymentId };
      }).then(({ view }) => view),

    /** Extends a freeze in force by a new decision, six months from its current end by default. */
    renew: (ctx: Ctx, freezeId: string, body: { decisionNumber: string; endsAt?: string | undefined }) =>
      run(async (trx) => {
        const f = await lockFreeze(trx, ctx.actor, freezeId);
        if (f.status !== 'active' || f.ends_at <= ctx.at)
          throw new AppError('conflict', 'Only a freeze still in force can be renewed');
        const pending = await trx
          .selectFrom('freeze_renewal')
          .select('seq')
          .where('freeze_id', '=', freezeId)
          .where('status', '=', 'requested')
          .executeTakeFirst();
        if (pending)
          throw new AppError(
            'conflict',
            'A renewal of this freeze is already with the bank, awaiting its confirmation',
          );
        const endsAt = freezeEnd(body.endsAt, f.ends_at, ctx.at);
        if (endsAt <= f.ends_at)
          throw problem('body.endsAt', 'too_early', 'must be later than the current end');
        const instructionId = randomUUID();
        await trx
          .insertInto('freeze_renewal')
          .values({
            freeze_id: freezeId,
            seq: f.renewals + 1,
            decision_number: body.decisionNumber,
            previous_ends_at: f.ends_at,
            ends_at: endsAt,
            decided_by: ctx.actor.userId,
            decided_at: ctx.at,
            status: 'requested',
            instruction_id: instructionId,
          })
          .execute();
        // The end moves when the bank confirms the renewal.
        await trx
          .updateTable('account_freeze')
          .set({ renewals: f.renewals + 1, updated_at: ctx.at })
          .where('id', '=', freezeId)
          .execute();
        const c = await freezeContext(trx, f.stop_payment_id);
        await bankInstructions.issue(
          trx,
          [
            {
              kind: 'freeze_renewal',
              id: instructionId,
              bankCode: c.bank_code,
              account: { number: c.account_number, name: c.account_name },
              reportId: f.report_id,
              reportNumber: c.report_number,
              stopPaymentId: f.stop_payment_id,
              deadlineAt: endsAt,
              fields: {
                freezeInstructionId: freezeId,
                decisionNumber: body.decisionNumber,
                previousEndsAt: f.ends_at.toISOString(),
                endsAt: endsAt.toISOString(),
              },
            },
          ],
          ctx.at,
        );
        await audit(trx, ctx, 'freeze.renew', 'freeze', freezeId, {
          previousEndsAt: f.ends_at.toISOString(),
          endsAt: endsAt.toISOString(),
          decisionNumber: body.decisionNumber,
        });
        return { result: null, stopPaymentId: f.stop_payment_id };
      }).then(({ view }) => view),

    /** The first approver proposes a release or a return; a second, different person decides it. */
    propose: (ctx: Ctx, freezeId: string, body: FundDecisionRequest) =>
      run(async (trx) => {
        const f = await lockFreeze(trx, ctx.actor, freezeId);
        if (f.status !== 'active')
          throw new AppError(
            'conflict',
            f.status === 'requested'
              ? 'The freeze awaits the bank’s confirmation: decide on it once the bank has frozen the money'
              : `The freeze is ${f.status}`,
          );
        // Several decisions may run at once while together they fit in what is frozen.
        const held = await trx
          .selectFrom('fund_decision')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen'))
          .where('freeze_id', '=', freezeId)
          .where('status', 'in', openFundDecisionStatuses)
          .executeTakeFirstOrThrow();
        const available = f.amount_fen - Number(held.fen);
        if (body.amountFen > available)
          throw problem(
            'body.amountFen',
            'above_frozen',
            available === f.amount_fen
              ? `at most the frozen amount (${f.amount_fen} fen)`
              : `at most what is frozen and not held by other open decisions (${available} of ${f.amount_fen} fen)`,
          );
        const payee = payeeOf(body);
        const id = randomUUID();
        await trx
          .insertInto('fund_decision')
          .values({
            id,
            freeze_id: freezeId,
            report_id: f.report_id,
            kind: body.kind,
            amount_fen: body.amountFen,
            victim_account: payee?.account ?? null,
            payee_name: payee?.name ?? null,
            payee_bank_code: payee?.bankCode ?? null,
            decision_number: body.decisionNumber,
            reason: body.reason,
            appeal_channel: body.appealChannel,
            status: 'proposed',
            proposed_by: ctx.actor.userId,
            proposed_at: ctx.at,
            updated_at: ctx.at,
          })
          .execute();
        await audit(trx, ctx, `fund-decision.propose`, 'fund_decision', id, {
          kind: body.kind,
          freezeId,
          amountFen: body.amountFen,
        });
        return { result: await decisionView(trx, id, ctx.at), stopPaymentId: f.stop_payment_id };
      }).then(({ result }) => result),

    /** The second approver: never the proposer. A return is then due within three working days. */
    approve: (ctx: Ctx, id: string) =>
      run(async (trx) => {
        const d = await lockDecision(trx, ctx.actor, id);
        if (d.status !== 'proposed') throw new AppError('conflict', `The decision is already ${d.status}`);
        refuseSelfDecision(d.proposed_by, ctx.actor);
        const dueAt = d.kind === 'return' ? returnDueAt(ctx.at) : null;
        await trx
          .updateTable('fund_decision')
          .set({
            status: 'approved',
            decided_by: ctx.actor.userId,
            decided_at: ctx.at,
            due_at: dueAt,
            updated_at: ctx.at,
          })
          .where('id', '=', id)
          .execute();
        const f = await trx
          .selectFrom('account_freeze')
          .select(['stop_payment_id', 'report_id'])
          .where('id', '=', d.freeze_id)
          .executeTakeFirstOrThrow();
        const c = await freezeContext(trx, f.stop_payment_id);
        // The freeze changes when the bank confirms what it released or returned, for that amount.
        const base = {
          id,
          bankCode: c.bank_code,
          account: { number: c.account_number, name: c.account_name },
          reportId: f.report_id,
          reportNumber: c.report_number,
          stopPaymentId: f.stop_payment_id,
        };
        await bankInstructions.issue(
          trx,
          [
            d.kind === 'return'
              ? {
                  ...base,
                  kind: 'return' as const,
                  deadlineAt: dueAt,
                  fields: {
                    freezeInstructionId: d.freeze_id,
                    amountFen: d.amount_fen,
                    payee: {
                      name: d.payee_name ?? '',
                      account: d.victim_account ?? '',
                      bankCode: d.payee_bank_code ?? '',
                      bankName: d.payee_bank_code
                        ? (findBankByCode(d.payee_bank_code)?.nameZh ?? null)
                        : null,
                    },
                    decisionNumber: d.decision_number,
                    dueAt: dueAt!.toISOString(),
                  },
                }
              : {
                  ...base,
                  kind: 'release' as const,
                  deadlineAt: null,
                  fields: {
                    freezeInstructionId: d.freeze_id,
                    amountFen: d.amount_fen,
                    decisionNumber: d.decision_number,
                  },
                },
          ],
          ctx.at,
        );
        await audit(trx, ctx, 'fund-decision.approve', 'fund_decision', id, {
          kind: d.kind,
          dueAt: dueAt?.toISOString() ?? null,
        });
        return { result: await decisionView(trx, id, ctx.at), stopPaymentId: f.stop_payment_id };
      }).then(({ result }) => result),

    reject: (ctx: Ctx, id: string, reason: string) =>
      run(async (trx) => {
        const d = await lockDecision(trx, ctx.actor, id);
        if (d.status !== 'proposed') throw new AppError('conflict', `The decision is already ${d.status}`);
        refuseSelfDecision(d.proposed_by, ctx.actor);
        await trx
          .updateTable('fund_decision')
          .set({
            status: 'rejected',
            decided_by: ctx.actor.userId,
            decided_at: ctx.at,
            rejection_reason: reason,
            updated_at: ctx.at,
          })
          .where('id', '=', id)
          .execute();
        const f = await trx
          .selectFrom('account_freeze')
          .select('stop_payment_id')
          .where('id', '=', d.freeze_id)
          .executeTakeFirstOrThrow();
        await audit(trx, ctx, 'fund-decision.reject', 'fund_decision', id, { reason });
        return { result: await decisionView(trx, id, ctx.at), stopPaymentId: f.stop_payment_id };
      }).then(({ result }) => result),

    async decisions(actor: Actor, q: { statuses: Array<FundDecisionView['status']>; limit: number }) {
      let query = db.selectFrom('fund_decision').selectAll().where('status', 'in', q.statuses);
      if (actor.role === 'county_police')
        query = query.where('report_id', 'in', reportsOwnedBy(db, actor.countyCode));
      const rows = await query.orderBy('proposed_at', 'desc').limit(q.limit).execute();
      return loadDecisionViews(db, rows, deps.clock.now());
    },

    /** A bank's approved returns: what it must pay back, and by when. */
    async returnsFor(
      actor: Actor,
      q: { after: number | null; updatedSince: Date | null; limit: number },
    ): Promise<{ decisions: FundDecisionView[]; nextCursor: string | null; hasMore: boolean }> {
      // The return instructions of the bank's feed, in feed order; each has its decision's id.
      const { items, hasMore, nextCursor } = await bankInstructions.list(actor, {
        statuses: 'all',
        kinds: ['return'],
        after: q.after,
        updatedSince: q.updatedSince,
        limit: q.limit,
      });
      const ids = items.map((i) => i.instruction.instructionId);
      const rows = ids.length
        ? await db.selectFrom('fund_decision').selectAll().where('id', 'in', ids).execute()
        : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const ordered = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
      return {
        decisions: await loadDecisionViews(db, ordered, deps.clock.now()),
        nextCursor,
        hasMore,
      };
    },

    /** The bank's confirmation of a freeze, renewal, release, return or lapse notice (see freezes.confirm). */
    confirmMeasure: (ctx: Ctx, id: string, body: MeasureConfirmationRequest, key: string) =>
      confirmMeasure(confirmDeps, ctx, id, body, key),

    /**
     * The earlier way to confirm a return: all of the decided amount went back, with the transfer's reference.
     * The same confirmation again changes nothing; another reference is refused.
     */
    async confirmReturn(ctx: Ctx, id: string, body: ReturnConfirmation): Promise<FundDecisionView> {
      const d = await db
        .selectFrom('fund_decision')
        .select(['kind', 'amount_fen'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!d || d.kind !== 'return') throw new AppError('not_found', 'No such return for your bank');
      await confirmMeasure(
        confirmDeps,
        ctx,
        id,
        {
          outcome: 'returned',
          executedAt: body.returnedAt ?? ctx.at.toISOString(),
          amountFen: d.amount_fen,
          bankReference: body.bankReference,
        },
        `return-confirmation:${body.bankReference}`,
      ).catch((err: unknown) => {
        // One reference per return: a second confirmation with another reference is a different answer.
        if (
          err instanceof AppError &&
          err.code === 'conflict' &&
          /answered differently|different answer/.test(err.message)
        )
          throw new AppError('conflict', 'This return was already confirmed with another reference');
        throw err;
      });
      const row = await db
        .selectFrom('fund_decision')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return (await loadDecisionViews(db, [row], ctx.at))[0]!;
    },
  };
}
export type FreezesService = ReturnType<typeof createFreezesService>;

/** Release and return are decided by two different people: the proposer never decides. */
function refuseSelfDecision(proposedBy: string, actor: Actor): void {
  if (proposedBy === actor.userId)
    throw new AppError('forbidden', 'A release or return needs a second approver: you proposed it', [
      { field: 'actor', reason: 'self_approval', message: 'the proposer cannot decide their own proposal' },
    ]);
}

/** A freeze's end: the given date, or six months on; never in the past, never beyond six months. */
function freezeEnd(given: string | undefined, from: Date, now: Date): Date {
  const limit = freezeLimitFrom(from);
  if (!given) return limit;
  const endsAt = new Date(given);
  if (endsAt <= now) throw problem('body.endsAt', 'in_past', 'must be later than now');
  if (endsAt > limit)
    throw problem('body.endsAt', 'too_long', `a freeze lasts at most ${FREEZE_DEFAULT_MONTHS} months`);
  return endsAt;
}

/** A return's payee, complete: the victim's name, account and receiving bank. A release has none. */
function payeeOf(body: FundDecisionRequest): { name: string; account: string; bankCode: string } | null {
  if (body.kind === 'release') {
    const extra = (['victimAccount', 'payeeName', 'payeeBankCode'] as const).find(
      (k) => body[k] !== undefined,
    );
    if (extra)
      throw problem(`body.${extra}`, 'not_allowed', 'a release stays with the account holder: no payee');
    return null;
  }
  if (!body.victimAccount)
    throw problem('body.victimAccount', 'required', "a return needs the victim's account");
  if (!body.payeeName)
    throw problem('body.payeeName', 'required', "a return needs the name on the victim's account");
  const card = validateBankCard(body.victimAccount);
  const bankCode = body.payeeBankCode ?? (card.ok ? card.value.bankCode : undefined);
  if (!bankCode)
    throw problem(
      'body.payeeBankCode',
      'required',
      'the receiving bank: the account number has no known BIN',
    );
  if (!findBankByCode(bankCode))
    throw problem('body.payeeBankCode', 'unknown_bank', `no bank has the code ${bankCode}`);
  return { name: body.payeeName, account: card.ok ? card.value.number : body.victimAccount, bankCode };
}

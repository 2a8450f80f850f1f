import { randomUUID } from 'node:crypto';
import type {
  FreezeRequest,
  FundDecisionRequest,
  FundDecisionView,
  ReturnConfirmation,
  StopPaymentView,
} from '@fanzha/contracts';
import {
  addMonths,
  addWorkingDays,
  FREEZE_DEFAULT_MONTHS,
  RETURN_DUE_WORKING_DAYS,
  type Clock,
} from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../identity/actor';
import {
  isInScope,
  lockRequest,
  reportsOwnedBy,
  type StopPaymentService,
} from '../stop-payment/stop-payment.service';
import { loadDecisionViews } from './restrictions.views';

type Ctx = AuditContext & { actor: Actor };
type Trx = Transaction<DB>;

const problem = (field: string, reason: string, message: string) =>
  validationError([{ field, reason, message }]);

/**
 * Freezes (冻结), their renewals, and the decisions that end them: release (解冻) and return of funds
 * (资金返还). Each rule is checked here with a clear answer, and again by the database's constraints.
 */
export function createRestrictionsService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  stopPayments: StopPaymentService;
  wake: () => void;
}) {
  const { db } = deps;

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
        const active = await trx
          .selectFrom('account_freeze')
          .select('id')
          .where('stop_payment_id', '=', stopPaymentId)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (active) throw new AppError('conflict', 'The account is already frozen: renew the freeze instead');
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
            starts_at: ctx.at,
            ends_at: endsAt,
            reason: body.reason,
            appeal_channel: body.appealChannel,
            status: 'active',
            decided_by: ctx.actor.userId,
            created_at: ctx.at,
            updated_at: ctx.at,
          })
          .execute();
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
        const endsAt = freezeEnd(body.endsAt, f.ends_at, ctx.at);
        if (endsAt <= f.ends_at)
          throw problem('body.endsAt', 'too_early', 'must be later than the current end');
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
          })
          .execute();
        await trx
          .updateTable('account_freeze')
          .set({ ends_at: endsAt, renewals: f.renewals + 1, updated_at: ctx.at })
          .where('id', '=', freezeId)
          .execute();
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
        if (f.status !== 'active') throw new AppError('conflict', `The freeze is ${f.status}`);
        const open = await trx
          .selectFrom('fund_decision')
          .select('id')
          .where('freeze_id', '=', freezeId)
          .where('status', 'in', ['proposed', 'approved'])
          .executeTakeFirst();
        if (open) throw new AppError('conflict', 'A decision on this freeze is already under way');
        if (body.amountFen > f.amount_fen)
          throw problem('body.amountFen', 'above_frozen', `at most the frozen amount (${f.amount_fen} fen)`);
        if (body.kind === 'return' && !body.victimAccount)
          throw problem('body.victimAccount', 'required', "a return needs the victim's account");
        const id = randomUUID();
        await trx
          .insertInto('fund_decision')
          .values({
            id,
            freeze_id: freezeId,
            report_id: f.report_id,
            kind: body.kind,
            amount_fen: body.amountFen,
            victim_account: body.kind === 'return' ? body.victimAccount! : null,
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
        const dueAt = d.kind === 'return' ? addWorkingDays(ctx.at, RETURN_DUE_WORKING_DAYS) : null;
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
        if (d.kind === 'release')
          await trx
            .updateTable('account_freeze')
            .set({ status: 'released', updated_at: ctx.at })
            .where('id', '=', d.freeze_id)
            .execute();
        const f = await trx
          .selectFrom('account_freeze')
          .select('stop_payment_id')
          .where('id', '=', d.freeze_id)
          .executeTakeFirstOrThrow();
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
    async returnsFor(actor: Actor, q: { limit: number }): Promise<FundDecisionView[]> {
      const rows = await db
        .selectFrom('fund_decision as d')
        .innerJoin('account_freeze as f', 'f.id', 'd.freeze_id')
        .innerJoin('stop_payment as s', 's.id', 'f.stop_payment_id')
        .selectAll('d')
        .where('d.kind', '=', 'return')
        .where('d.status', 'in', ['approved', 'confirmed'])
        .where('s.bank_code', '=', actor.bankCode ?? '-')
        .orderBy('d.due_at')
        .limit(q.limit)
        .execute();
      return loadDecisionViews(db, rows, deps.clock.now());
    },

    /** The bank confirms the money went back. The same confirmation again changes nothing. */
    confirmReturn: (ctx: Ctx, id: string, body: ReturnConfirmation) =>
      run(async (trx) => {
        const row = await trx
          .selectFrom('fund_decision as d')
          .innerJoin('account_freeze as f', 'f.id', 'd.freeze_id')
          .innerJoin('stop_payment as s', 's.id', 'f.stop_payment_id')
          .select([
            'd.id',
            'd.kind',
            'd.status',
            'd.bank_reference',
            'd.decided_at',
            'd.freeze_id',
            'd.amount_fen',
            'f.amount_fen as frozen_fen',
            's.bank_code',
            's.id as stop_payment_id',
          ])
          .where('d.id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!row || row.kind !== 'return' || row.bank_code !== ctx.actor.bankCode)
          throw new AppError('not_found', 'No such return for your bank');
        if (row.status === 'confirmed') {
          if (row.bank_reference === body.bankReference)
            return { result: await decisionView(trx, id, ctx.at), stopPaymentId: row.stop_payment_id };
          throw new AppError('conflict', 'This return was already confirmed with another reference');
        }
        if (row.status !== 'approved')
          throw new AppError('conflict', `The return is ${row.status}, not approved`);
        const returnedAt = body.returnedAt ? new Date(body.returnedAt) : ctx.at;
        if (returnedAt > ctx.at || (row.decided_at && returnedAt < row.decided_at))
          throw problem('body.returnedAt', 'out_of_range', 'between the approval and now');
        await trx
          .updateTable('fund_decision')
          .set({
            status: 'confirmed',
            confirmed_at: returnedAt,
            confirmed_by: ctx.actor.username,
            bank_reference: body.bankReference,
            updated_at: ctx.at,
          })
          .where('id', '=', id)
          .execute();
        // A return of part of the frozen money leaves the rest frozen; a return of all of it ends the freeze.
        await trx
          .updateTable('account_freeze')
          .set(
            row.amount_fen < row.frozen_fen
              ? { amount_fen: row.frozen_fen - row.amount_fen, updated_at: ctx.at }
              : { status: 'returned', updated_at: ctx.at },
          )
          .where('id', '=', row.freeze_id)
          .execute();
        await audit(trx, ctx, 'fund-decision.confirm', 'fund_decision', id, {
          bankReference: body.bankReference,
        });
        return { result: await decisionView(trx, id, ctx.at), stopPaymentId: row.stop_payment_id };
      }).then(({ result }) => result),
  };
}
export type RestrictionsService = ReturnType<typeof createRestrictionsService>;

/** Release and return are decided by two different people: the proposer never decides. */
function refuseSelfDecision(proposedBy: string, actor: Actor): void {
  if (proposedBy === actor.userId)
    throw new AppError('forbidden', 'A release or return needs a second approver: you proposed it', [
      { field: 'actor', reason: 'self_approval', message: 'the proposer cannot decide their own proposal' },
    ]);
}

/** A freeze's end: the given date, or six months on; never in the past, never beyond six months. */
function freezeEnd(given: string | undefined, from: Date, now: Date): Date {
  const limit = addMonths(from, FREEZE_DEFAULT_MONTHS);
  if (!given) return limit;
  const endsAt = new Date(given);
  if (endsAt <= now) throw problem('body.endsAt', 'in_past', 'must be later than now');
  if (endsAt > limit)
    throw problem('body.endsAt', 'too_long', `a freeze lasts at most ${FREEZE_DEFAULT_MONTHS} months`);
  return endsAt;
}

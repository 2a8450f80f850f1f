import { randomUUID } from 'node:crypto';
import type { FundDecisionRequest, FundDecisionView, ReturnConfirmation } from '@fanzha/contracts';
import { decisionAmountProblem, findBankByCode, payeeOf, returnDueAt } from '@fanzha/domain';
import type { Actor } from '../../platform/actor';
import { AppError } from '../../platform/http/errors';
import { loadDecisionViews } from '../case/index';
import { confirmMeasure } from './freezes.confirm';
import { freezeRepository as repo } from './freezes.repository';
import {
  audit,
  decisionView,
  lockDecision,
  lockFreeze,
  orRefuse,
  problem,
  type Ctx,
  type FreezesDeps,
  type Run,
} from './freezes.shared';

/** Release and return are decided by two different people: the proposer never decides. */
function refuseSelfDecision(proposedBy: string, actor: Actor): void {
  if (proposedBy === actor.userId)
    throw new AppError('forbidden', 'A release or return needs a second approver: you proposed it', [
      { field: 'actor', reason: 'self_approval', message: 'the proposer cannot decide their own proposal' },
    ]);
}

/**
 * The decisions that end a freeze: release (解冻) and return of funds (资金返还), proposed by one person and
 * decided by another, each sent to the bank once approved.
 */
/** A proposal made already: its decision, carried out of the transaction that found it. */
class RepeatedProposal extends Error {
  constructor(readonly view: FundDecisionView) {
    super('repeated proposal');
  }
}

export function decisionUseCases(deps: FreezesDeps, run: Run) {
  const { db, bankInstructions } = deps;
  const confirmDeps = { db, bankInstructions, stopPayments: deps.stopPayments, wake: deps.wake };
  return {
    /**
     * The first approver proposes a release or a return; a second, different person decides it. The same
     * proposal sent again (a lost answer retried, a double click: the same decision number, kind and amount
     * while the first is not rejected) answers the decision it made and writes nothing.
     */
    propose: (ctx: Ctx, freezeId: string, body: FundDecisionRequest) =>
      run(async (trx) => {
        const f = await lockFreeze(trx, ctx.actor, freezeId);
        const same = await repo.sameProposal(trx, freezeId, body);
        // Rolled back, so that the repeat writes nothing, not even an event.
        if (same) throw new RepeatedProposal(await decisionView(trx, same.id, ctx.at));
        if (f.status !== 'active')
          throw new AppError(
            'conflict',
            f.status === 'requested'
              ? 'The freeze awaits the bank’s confirmation: decide on it once the bank has frozen the money'
              : `The freeze is ${f.status}`,
          );
        // Several decisions may run at once while together they fit in what is frozen.
        const tooMuch = decisionAmountProblem(
          body.amountFen,
          f.amount_fen,
          await repo.heldByOpenDecisions(trx, freezeId),
        );
        if (tooMuch) throw problem(tooMuch);
        const payee = orRefuse(payeeOf(body));
        const id = randomUUID();
        await repo.insertDecision(trx, {
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
        });
        await audit(trx, ctx, `fund-decision.propose`, 'fund_decision', id, {
          kind: body.kind,
          freezeId,
          amountFen: body.amountFen,
        });
        return { result: await decisionView(trx, id, ctx.at), stopPaymentId: f.stop_payment_id };
      }).then(
        ({ result }) => result,
        (err: unknown) => {
          if (err instanceof RepeatedProposal) return err.view;
          throw err;
        },
      ),

    /** The second approver: never the proposer. A return is then due within three working days. */
    approve: (ctx: Ctx, id: string) =>
      run(async (trx) => {
        const d = await lockDecision(trx, ctx.actor, id);
        if (d.status !== 'proposed') throw new AppError('conflict', `The decision is already ${d.status}`);
        refuseSelfDecision(d.proposed_by, ctx.actor);
        const dueAt = d.kind === 'return' ? returnDueAt(ctx.at) : null;
        await repo.setDecision(trx, id, {
          status: 'approved',
          decided_by: ctx.actor.userId,
          decided_at: ctx.at,
          due_at: dueAt,
          updated_at: ctx.at,
        });
        const f = await repo.freezeOf(trx, d.freeze_id);
        const c = await repo.instructionContext(trx, f.stop_payment_id);
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
                  fields: {
                    freezeInstructionId: d.freeze_id,
                    amountFen: d.amount_fen,
                    decisionNumber: d.decision_number,
                  },
                },
          ],
          ctx.at,
        );
        await bankInstructions.refreshDeadlines(trx, { stopPaymentIds: [f.stop_payment_id] }, ctx.at);
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
        await repo.setDecision(trx, id, {
          status: 'rejected',
          decided_by: ctx.actor.userId,
          decided_at: ctx.at,
          rejection_reason: reason,
          updated_at: ctx.at,
        });
        const f = await repo.freezeOf(trx, d.freeze_id);
        await audit(trx, ctx, 'fund-decision.reject', 'fund_decision', id, { reason });
        return { result: await decisionView(trx, id, ctx.at), stopPaymentId: f.stop_payment_id };
      }).then(({ result }) => result),

    async decisions(actor: Actor, q: { statuses: Array<FundDecisionView['status']>; limit: number }) {
      const rows = await repo.listDecisions(db, {
        statuses: q.statuses,
        ownedBy: actor.role === 'county_police' ? { countyCode: actor.countyCode } : null,
        limit: q.limit,
      });
      return loadDecisionViews(db, rows, deps.clock.now());
    },

    /** A bank's approved returns: what it must pay back, and by when. */
    async returnsFor(
      actor: Actor,
      q: { after: string | null; updatedSince: Date | null; limit: number },
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
      const byId = new Map((await repo.decisionsByIds(db, ids)).map((r) => [r.id, r]));
      const ordered = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
      return {
        decisions: await loadDecisionViews(db, ordered, deps.clock.now()),
        nextCursor,
        hasMore,
      };
    },

    /**
     * The earlier way to confirm a return: all of the decided amount went back, with the transfer's reference.
     * The same confirmation again changes nothing; another reference is refused.
     */
    async confirmReturn(ctx: Ctx, id: string, body: ReturnConfirmation): Promise<FundDecisionView> {
      const d = await repo.decision(db, id);
      if (!d || d.kind !== 'return') throw new AppError('not_found', 'No such return for your bank');
      const answer = {
        outcome: 'returned' as const,
        amountFen: d.amount_fen,
        bankReference: body.bankReference,
      };
      await confirmMeasure(
        confirmDeps,
        ctx,
        id,
        { ...answer, executedAt: body.returnedAt ?? ctx.at.toISOString() },
        `return-confirmation:${body.bankReference}`,
        // Compared as the bank sent it: without `returnedAt` the time of each call is no part of the answer, so
        // the same confirmation retried later is the same answer (with it, the same as a confirmation at /confirm).
        body.returnedAt === undefined ? answer : undefined,
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
      return decisionView(db, id, ctx.at);
    },
  };
}

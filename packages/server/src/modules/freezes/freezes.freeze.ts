import { randomUUID } from 'node:crypto';
import type { FreezeRequest, StopPaymentView } from '@fanzha/contracts';
import { freezeEndOf } from '@fanzha/domain';
import { AppError, validationError } from '../../platform/http/errors';
import { lockRequest } from '../stop-payment/index';
import { freezeRepository as repo } from './freezes.repository';
import { audit, lockFreeze, orRefuse, type Ctx, type FreezesDeps, type Run } from './freezes.shared';

/** Uses of an account a freeze is reviewed for: money of people other than the fraudsters passes through it. */
const reviewedUses = new Set(['merchant', 'payroll', 'business']);

/** Freezes (冻结) and their renewals (续冻): each sent to the bank, in force when the bank confirms it. */
export function freezeUseCases(deps: Pick<FreezesDeps, 'bankInstructions'>, run: Run) {
  const { bankInstructions } = deps;
  return {
    /** Converts a stopped account into a freeze by decision, for at most the amount involved. */
    freeze: (ctx: Ctx, stopPaymentId: string, body: FreezeRequest): Promise<StopPaymentView> =>
      run(async (trx) => {
        const sp = await lockRequest(trx, ctx.actor, stopPaymentId);
        if (!sp.stopped_at)
          throw new AppError('conflict', 'Only an account the bank has stopped can be frozen');
        if (sp.renewed_at)
          throw new AppError('conflict', 'This stop was renewed: freeze the second emergency stop instead');
        const live = await repo.liveFreezeStatus(trx, stopPaymentId);
        if (live)
          throw new AppError(
            'conflict',
            live === 'active'
              ? 'The account is already frozen: renew the freeze instead'
              : 'A freeze of this account is already with the bank, awaiting its confirmation',
          );
        if (body.amountFen > sp.amount_fen)
          throw validationError([
            {
              field: 'body.amountFen',
              reason: 'above_involved',
              message: `at most the amount involved (${sp.amount_fen} fen reached this account)`,
            },
          ]);
        // A merchant's, payroll or business account (the bank's word) pays others too: reviewed first.
        if (sp.account_use !== null && reviewedUses.has(sp.account_use) && !body.reviewNote)
          throw validationError([
            {
              field: 'body.reviewNote',
              reason: 'review_required',
              message: `the bank said this is a ${sp.account_use} account: give the review's note to freeze it`,
            },
          ]);
        const endsAt = orRefuse(freezeEndOf(body.endsAt, ctx.at, ctx.at));
        const id = randomUUID();
        await repo.insertFreeze(trx, {
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
        });
        const c = await repo.instructionContext(trx, stopPaymentId);
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
        // The freeze's end runs on its item; the stop it holds no longer lapses meanwhile.
        await bankInstructions.refreshDeadlines(trx, { stopPaymentIds: [stopPaymentId] }, ctx.at);
        await audit(trx, ctx, 'freeze.create', 'freeze', id, {
          stopPaymentId,
          amountFen: body.amountFen,
          endsAt: endsAt.toISOString(),
          decisionNumber: body.decisionNumber,
          ...(body.reviewNote ? { accountUse: sp.account_use, reviewNote: body.reviewNote } : {}),
        });
        return { result: null, stopPaymentId };
      }).then(({ view }) => view),

    /** Extends a freeze in force by a new decision, six months from its current end by default. */
    renew: (ctx: Ctx, freezeId: string, body: { decisionNumber: string; endsAt?: string | undefined }) =>
      run(async (trx) => {
        const f = await lockFreeze(trx, ctx.actor, freezeId);
        if (f.status !== 'active' || f.ends_at <= ctx.at)
          throw new AppError('conflict', 'Only a freeze still in force can be renewed');
        if (await repo.hasPendingRenewal(trx, freezeId))
          throw new AppError(
            'conflict',
            'A renewal of this freeze is already with the bank, awaiting its confirmation',
          );
        const endsAt = orRefuse(freezeEndOf(body.endsAt, f.ends_at, ctx.at));
        if (endsAt <= f.ends_at)
          throw validationError([
            { field: 'body.endsAt', reason: 'too_early', message: 'must be later than the current end' },
          ]);
        const instructionId = randomUUID();
        await repo.insertRenewal(trx, {
          freeze_id: freezeId,
          seq: f.renewals + 1,
          decision_number: body.decisionNumber,
          previous_ends_at: f.ends_at,
          ends_at: endsAt,
          decided_by: ctx.actor.userId,
          decided_at: ctx.at,
          status: 'requested',
          instruction_id: instructionId,
        });
        // The end moves when the bank confirms the renewal.
        await repo.setFreeze(trx, freezeId, { renewals: f.renewals + 1, updated_at: ctx.at });
        const c = await repo.instructionContext(trx, f.stop_payment_id);
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
        await bankInstructions.refreshDeadlines(trx, { stopPaymentIds: [f.stop_payment_id] }, ctx.at);
        await audit(trx, ctx, 'freeze.renew', 'freeze', freezeId, {
          previousEndsAt: f.ends_at.toISOString(),
          endsAt: endsAt.toISOString(),
          decisionNumber: body.decisionNumber,
        });
        return { result: null, stopPaymentId: f.stop_payment_id };
      }).then(({ view }) => view),
  };
}

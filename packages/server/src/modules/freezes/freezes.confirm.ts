import type { FieldProblem, MeasureConfirmationRequest, SignedInstruction } from '@fanzha/contracts';
import { isHoldKind, measureConfirmationProblems, type MeasureKind } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import {
  answerHash,
  executedAtProblems,
  type BankInstructionRow,
  type BankInstructionService,
} from '../bank-protocol/index';
import type { Actor } from '../../platform/actor';
import type { StopPaymentService } from '../stop-payment/index';
import { freezeRepository as repo } from './freezes.repository';

type Trx = Transaction<DB>;
type Ctx = AuditContext & { actor: Actor };
type Executed = Extract<MeasureConfirmationRequest, { executedAt: string }>;

/**
 * The bank's confirmation of a measure: the freeze, renewal, release or return takes effect now, for what the
 * bank actually did — a partial release or return leaves the rest frozen — or fails with the bank's reason.
 * Idempotent on the key and the content, like an answer to an emergency stop. `sent` is what the bank sent, the
 * content compared with an earlier answer (the body itself unless the caller filled in defaults: a default the
 * server chose, such as the time of a call, would make each retry look like another answer).
 */
export async function confirmMeasure(
  deps: {
    db: Kysely<DB>;
    bankInstructions: BankInstructionService;
    stopPayments: StopPaymentService;
    wake: () => void;
  },
  ctx: Ctx,
  id: string,
  body: MeasureConfirmationRequest,
  key: string,
  sent: unknown = body,
): Promise<SignedInstruction> {
  const { bankInstructions } = deps;
  const hash = answerHash(sent);
  await deps.db.transaction().execute(async (trx) => {
    const row = await bankInstructions.lockForBank(trx, ctx.actor, id);
    if (row.kind === 'emergency_stop_payment')
      throw new AppError(
        'conflict',
        'An emergency stop is answered at POST /api/bank/instructions/{id}/result, with its onward transfers',
      );
    if (isHoldKind(row.kind))
      throw new AppError('conflict', 'A protective hold is confirmed by the warnings module, not here');
    if (bankInstructions.isRepeat(row, key, hash)) return;
    const kind = row.kind;
    const status = bankInstructions.transition(row, body.outcome === 'failed' ? 'fail' : 'execute');
    const instructed = row.payload['amountFen'];
    const problems: FieldProblem[] = measureConfirmationProblems(
      kind,
      typeof instructed === 'number' ? instructed : null,
      body,
    ).map((p) => ({ ...p, field: `body.${p.field}` }));
    const executedAt = body.outcome === 'failed' ? null : new Date(body.executedAt);
    if (executedAt) problems.push(...executedAtProblems('body.executedAt', executedAt, row, ctx.at));
    if (problems.length > 0) throw validationError(problems);

    if (body.outcome === 'failed') await applyFailure(trx, kind, row, body.failureReason, ctx.at);
    else await applyExecuted(deps, trx, kind, row, body, executedAt!, ctx);

    await bankInstructions.recordAnswer(
      trx,
      row.id,
      {
        status,
        amountFen: body.outcome === 'failed' ? null : (body.amountFen ?? null),
        executedAt,
        bankReference: body.outcome === 'failed' ? null : (body.bankReference ?? null),
        failureReason: body.outcome === 'failed' ? body.failureReason : null,
        note: body.note ?? null,
        answeredBy: ctx.actor.username,
        answerKey: key,
        answerHash: hash,
      },
      ctx.at,
    );
    // What ran out on the stop, the freeze and its decisions may have changed with this confirmation.
    if (row.stop_payment_id !== null)
      await bankInstructions.refreshDeadlines(trx, { stopPaymentIds: [row.stop_payment_id] }, ctx.at);
    await appendAudit(
      trx,
      auditEntry(ctx, {
        action: 'bank-instruction.confirm',
        objectType: 'bank_instruction',
        objectId: id,
        result: 'success',
        details: {
          kind,
          outcome: body.outcome,
          ...(body.outcome === 'failed'
            ? { failureReason: body.failureReason }
            : { amountFen: body.amountFen ?? null, bankReference: body.bankReference ?? null }),
          idempotencyKey: key,
        },
      }),
    );
    await deps.stopPayments.emitChanged(trx, row.stop_payment_id === null ? [] : [row.stop_payment_id]);
  });
  await bankInstructions.afterCommit();
  deps.wake();
  // As the bank's feed shows it now: numbered after the commit.
  return bankInstructions.get(ctx.actor, id);
}

async function applyFailure(
  trx: Trx,
  kind: MeasureKind,
  row: BankInstructionRow,
  reason: string,
  at: Date,
): Promise<void> {
  switch (kind) {
    case 'freeze':
      // The stop holds the money as before, and lapses at its own deadline unless frozen again in time.
      await repo.setFreeze(trx, row.id, { status: 'failed', failure_reason: reason, updated_at: at });
      return;
    case 'freeze_renewal':
      await repo.failRenewal(trx, row.id);
      return;
    case 'release':
    case 'return':
      await repo.setDecision(trx, row.id, { status: 'failed', failure_reason: reason, updated_at: at });
      return;
    case 'stop_lapsed':
      return; // refused by the lifecycle: a lapse notice cannot fail
  }
}

async function applyExecuted(
  deps: { bankInstructions: BankInstructionService },
  trx: Trx,
  kind: MeasureKind,
  row: BankInstructionRow,
  body: Executed,
  executedAt: Date,
  ctx: Ctx,
): Promise<void> {
  const at = ctx.at;
  switch (kind) {
    case 'freeze':
      // In force from the moment the bank froze the account, for what it could freeze.
      await repo.setFreeze(trx, row.id, {
        status: 'active',
        amount_fen: body.amountFen!,
        starts_at: executedAt,
        confirmed_at: executedAt,
        updated_at: at,
      });
      return;
    case 'freeze_renewal': {
      const renewal = await repo.confirmRenewal(trx, row.id);
      const f = await repo.lockFreezeFigures(trx, renewal.freeze_id);
      // A renewal the bank carried out before the old end keeps the freeze in force even if the sweep saw it end.
      const isRevived = f.status === 'expired' && executedAt < renewal.previous_ends_at;
      await repo.setFreeze(trx, renewal.freeze_id, {
        ends_at: renewal.ends_at,
        updated_at: at,
        ...(isRevived ? { status: 'active' as const } : {}),
      });
      return;
    }
    case 'release':
    case 'return': {
      const amount = body.amountFen!;
      const d = await repo.confirmDecision(trx, row.id, {
        status: 'confirmed',
        executed_fen: amount,
        confirmed_at: executedAt,
        confirmed_by: ctx.actor.username,
        bank_reference: body.bankReference ?? null,
        updated_at: at,
      });
      const f = await repo.lockFreezeFigures(trx, d.freeze_id);
      // Part of the money leaves the freeze; the rest stays frozen. All of it ends the freeze.
      await repo.setFreeze(
        trx,
        d.freeze_id,
        amount < f.amount_fen
          ? { amount_fen: f.amount_fen - amount, updated_at: at }
          : { status: kind === 'release' ? 'released' : 'returned', updated_at: at },
      );
      return;
    }
    case 'stop_lapsed':
      return; // the bank lifted the stop: nothing changes in the case
  }
}

import type { FundDecisionView, StopPaymentView } from '@fanzha/contracts';
import type { Clock, FreezeProblem } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { BankInstructionService } from '../bank-protocol/index';
import { isInScope, loadDecisionViews } from '../case/index';
import type { StopPaymentService } from '../stop-payment/index';
import { freezeRepository as repo } from './freezes.repository';

export type Ctx = AuditContext & { actor: Actor };
export type Trx = Transaction<DB>;

export interface FreezesDeps {
  db: Kysely<DB>;
  clock: Clock;
  stopPayments: StopPaymentService;
  bankInstructions: BankInstructionService;
  wake: () => void;
}

export const problem = (p: FreezeProblem) => validationError([p]);

/** The value of a checked rule, or its problem as a validation error. */
export function orRefuse<T>(checked: { ok: true; value: T } | { ok: false; problem: FreezeProblem }): T {
  if (!checked.ok) throw problem(checked.problem);
  return checked.value;
}

export async function lockFreeze(trx: Trx, actor: Actor, id: string) {
  const freeze = await repo.lockFreeze(trx, id);
  if (!freeze || !(await isInScope(trx, actor, freeze.report_id)))
    throw new AppError('not_found', 'No such freeze');
  return freeze;
}

export async function lockDecision(trx: Trx, actor: Actor, id: string) {
  const d = await repo.lockDecision(trx, id);
  if (!d || !(await isInScope(trx, actor, d.report_id))) throw new AppError('not_found', 'No such decision');
  return d;
}

export async function decisionView(db: Kysely<DB> | Trx, id: string, now: Date): Promise<FundDecisionView> {
  const d = await repo.decision(db, id);
  if (!d) throw new AppError('not_found', 'No such decision');
  return (await loadDecisionViews(db, [d], now))[0]!;
}

export const audit = (
  trx: Trx,
  ctx: Ctx,
  action: string,
  objectType: string,
  objectId: string,
  details: Record<string, unknown>,
) => appendAudit(trx, auditEntry(ctx, { action, objectType, objectId, result: 'success', details }));

/**
 * Runs a change and emits the account's new view, all in one transaction, its instructions numbered last; then
 * wakes the relay.
 */
export function runner(deps: Pick<FreezesDeps, 'db' | 'stopPayments' | 'bankInstructions' | 'wake'>) {
  return async function run<T>(
    work: (trx: Trx) => Promise<{ result: T; stopPaymentId: string }>,
  ): Promise<{ result: T; view: StopPaymentView }> {
    const done = await deps.db.transaction().execute(async (trx) => {
      const { result, stopPaymentId } = await work(trx);
      const [view] = await deps.stopPayments.emitChanged(trx, [stopPaymentId]);
      return { result, view: view! };
    });
    await deps.bankInstructions.afterCommit();
    deps.wake();
    return done;
  };
}
export type Run = ReturnType<typeof runner>;

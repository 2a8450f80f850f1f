import type { MeasureConfirmationRequest } from '@fanzha/contracts';
import { confirmMeasure } from './freezes.confirm';
import { freezeRepository } from './freezes.repository';
import { decisionUseCases } from './freezes.decisions';
import { freezeUseCases } from './freezes.freeze';
import { runner, type Ctx, type FreezesDeps } from './freezes.shared';

/**
 * Freezes (冻结), their renewals, and the decisions that end them: release (解冻) and return of funds
 * (资金返还). Each rule is checked here with a clear answer, and again by the database's constraints.
 */
export function createFreezesService(deps: FreezesDeps) {
  const run = runner(deps);
  const confirmDeps = {
    db: deps.db,
    bankInstructions: deps.bankInstructions,
    stopPayments: deps.stopPayments,
    wake: deps.wake,
  };
  return {
    ...freezeUseCases(deps, run),
    ...decisionUseCases(deps, run),
    /**
     * The freezes with the bank or in force on one account (an appeal names it): each with what a release
     * may still take (frozen, less what open decisions hold).
     */
    async onAccount(bankCode: string, accountNumber: string) {
      const rows = await freezeRepository.onAccount(deps.db, bankCode, accountNumber);
      return rows.map((r) => ({
        id: r.id,
        status: r.status,
        amountFen: Number(r.amount_fen),
        releasableFen: Math.max(0, Number(r.amount_fen) - r.held_fen),
        endsAt: r.ends_at,
      }));
    },
    /** The bank's confirmation of a freeze, renewal, release, return or lapse notice (see freezes.confirm). */
    confirmMeasure: (ctx: Ctx, id: string, body: MeasureConfirmationRequest, key: string) =>
      confirmMeasure(confirmDeps, ctx, id, body, key),
  };
}
export type FreezesService = ReturnType<typeof createFreezesService>;

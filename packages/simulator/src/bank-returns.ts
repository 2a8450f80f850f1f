import type { Client, FundDecisionList, FundDecisionView, ReturnConfirmation } from '@fanzha/contracts';
import type { ReturnBook } from './returns';
import { withRetry } from './session';
import type { AnswerKey } from './signing';
import { countError, type SimStats } from './stats';
import type { Timers } from './timers';
import type { World } from './world';

/**
 * A simulated bank's side of a return of funds (资金返还): it reads its queue of approved returns and
 * confirms each the robots approved, signed, when the plan says — within minutes, or a few after they
 * are due (then fanzha escalates them as overdue). Returns it cannot explain are left to people.
 */
export function createReturnDesk(deps: {
  bankCode: string;
  client: Client;
  answerKey: AnswerKey;
  book: ReturnBook;
  world: World;
  stats: SimStats;
  timers: Timers;
  pace: number;
}) {
  const { book, world, stats, timers } = deps;
  const scheduled = new Set<string>();

  async function confirm(d: FundDecisionView): Promise<void> {
    const expected = book.get(d.id);
    if (!expected) return;
    const { plan, stop } = expected;
    const body: ReturnConfirmation = { bankReference: `${deps.bankCode}-RT-${plan.bankSerial}` };
    try {
      // A repeat with the same reference changes nothing: safe to retry.
      await withRetry(() =>
        deps.client.request<FundDecisionView>('POST', `/api/bank/returns/${d.id}/confirm`, body, {
          'x-fanzha-signature': deps.answerKey.sign({ decisionId: d.id, confirmation: body }),
        }),
      );
      stats.returnsConfirmed++;
      stats.returnedFen += plan.amountFen;
      world.record({
        type: 'return',
        at: plan.confirmAt,
        fraud: stop.run.fraud.index,
        parcel: stop.parcel.id,
        amountFen: plan.amountFen,
        isLate: plan.isLate,
      });
    } catch (err) {
      countError(stats, 'bank_return_confirm', err);
    } finally {
      book.settle(d.id);
    }
  }

  return {
    /** Looks at the queue when a return of this bank is expected (a bank with none does not ask). */
    async poll(): Promise<void> {
      if (!book.isWaitingAt(deps.bankCode)) return;
      const { decisions } = await deps.client.request<FundDecisionList>('GET', '/api/bank/returns?limit=500');
      for (const d of decisions) {
        const expected = book.get(d.id);
        if (!expected || d.status !== 'approved' || scheduled.has(d.id)) continue;
        scheduled.add(d.id);
        const { plan, stop } = expected;
        // Late: an hour (at people's pace) after fanzha's due date, which is days away.
        const at =
          plan.isLate && deps.pace > 0 && d.dueAt
            ? Date.parse(d.dueAt) + 3_600_000 * deps.pace
            : world.realAt(stop.run, plan.confirmAt);
        timers.at(at, () => void confirm(d));
      }
    },
  };
}

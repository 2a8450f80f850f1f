import { ApiError, type InstructionOf, type SignedInstruction } from '@fanzha/contracts';
import { answerBody } from './bank-answer';
import { headOf, type BankLine } from './bank-line';
import { countError, recordRoundTrip } from './stats';
import type { InstructionPlan } from './world';

type EmergencyStop = InstructionOf<'emergency_stop_payment'>;

/**
 * A simulated bank's answers to emergency stops (紧急止付): what the money trail says was still on the
 * account when the bank stopped it (bank-answer.ts), signed, once, with an Idempotency-Key.
 */
export function createStopDesk(line: BankLine) {
  const { world, stats, deps } = line;

  async function answer(plan: InstructionPlan, item: SignedInstruction): Promise<void> {
    if (world.isAnswered(plan)) return;
    const body = answerBody(plan.answer, (at) => world.realAt(plan.run, at));
    const id = headOf(item).instructionId;
    const send = (key: string) => line.postSigned(id, 'result', key, body);
    try {
      // The same key on a retry: fanzha applies the answer once, however often it arrives.
      const first = await line.deliver(() => send(`sim-${id}`));
      recordRoundTrip(stats, Date.now() - Date.parse(headOf(item).issuedAt));
      world.answered(plan, 'ours');
      if (deps.fault.isAnsweringTwice) {
        for (const key of [`sim-${id}`, `sim-${id}-again`]) {
          const again = await send(key);
          if (JSON.stringify(again.result) === JSON.stringify(first.result)) stats.duplicateAnswersAbsorbed++;
          else countError(stats, 'duplicate_answer_changed_state');
        }
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // A liaison in the console answered first.
        stats.answeredElsewhere++;
        world.answered(plan, 'elsewhere');
        return;
      }
      countError(stats, err instanceof ApiError ? `bank_answer_${err.status}` : 'bank_answer_network', err);
      world.answered(plan, 'error');
    }
  }

  return {
    /**
     * An open emergency stop: the plan it belongs to, or undefined when no simulated fraud explains it (yet:
     * its report number may still be on the way).
     */
    resolve: (item: SignedInstruction) => world.resolve(item.instruction as EmergencyStop),

    /** Schedules the answer on the bank's own response time, counted from when fanzha sent it. */
    take(plan: InstructionPlan, item: SignedInstruction): void {
      stats.instructionsReceived++;
      const due = Date.parse(headOf(item).issuedAt) + (plan.answerAt - plan.sendAt) * deps.pace;
      line.acknowledgeIfSlow(item, due);
      line.schedule(due, () => answer(plan, item));
    },

    /** Someone else's answer showed up in the feed (a person, when the bank is left to people). */
    answeredBy(plan: InstructionPlan, item: SignedInstruction, isPeopleBank: boolean): void {
      if (world.isAnswered(plan)) return;
      const fen = item.answer?.amountFen ?? 0;
      const at = world.modelAt(plan.run, Date.parse(item.answer?.answeredAt ?? item.updatedAt));
      if (isPeopleBank)
        world.answered(plan, 'people', { at, stoppedFen: item.status === 'stopped' ? fen : 0 });
      else {
        stats.answeredElsewhere++;
        world.answered(plan, 'elsewhere');
      }
    },
  };
}

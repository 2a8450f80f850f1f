import { ApiError, type SignedInstruction } from '@fanzha/contracts';
import type { HoldKind, MeasureKind } from '@fanzha/domain';
import {
  confirmationBody,
  holdConfirmationBody,
  planConfirmation,
  planHoldConfirmation,
  type PlannedConfirmation,
} from './bank-measures';
import type { BankLine } from './bank-line';
import type { ExpectedMeasure } from './measures';
import { countError } from './stats';
import type { InstructionPlan } from './world';

/** The fields of a measure's signed instruction the bank reads (the kinds differ; these are all it needs). */
interface MeasureFields {
  instructionId: string;
  issuedAt: string;
  decisionNumber?: string;
  amountFen?: number;
  stopInstructionId?: string;
}

/** One measure as the bank will carry it out. */
interface Job {
  item: SignedInstruction;
  kind: MeasureKind;
  plan: PlannedConfirmation;
  /** The robot officer's request, when it was one (else a person's at the desk console). */
  expected: ExpectedMeasure | undefined;
  /** The stop a lapse notice is about, when the simulation knows it. */
  stop: InstructionPlan | undefined;
  /** Simulation time of the confirmation, for the log. */
  at: number | undefined;
}

/**
 * A simulated bank's confirmations of the measures after the stop — freezes, renewals, releases, returns —
 * and of lapse notices: what it actually did, on its own style and time (bank-measures.ts), signed and with
 * an Idempotency-Key. It confirms measures people asked for at the desk console too (a bank does not care
 * who decided), and lifts every stop fanzha says has lapsed.
 */
export function createMeasureDesk(line: BankLine) {
  const { deps, world, stats } = line;

  async function confirm(job: Job, dueReal: number): Promise<void> {
    const fields = job.item.instruction as MeasureFields;
    const id = fields.instructionId;
    // Never before the instruction, never ahead of now: what fanzha accepts as the moment the bank acted.
    const executedAt = new Date(Math.min(Date.now(), Math.max(dueReal, Date.parse(fields.issuedAt))));
    const body = confirmationBody(job.kind, job.plan, executedAt);
    const send = (key: string) => line.postSigned(id, 'confirm', key, body);
    const settle = () => {
      if (job.expected) deps.measures.settle(job.expected.decisionNumber, job.at ?? 0);
    };
    try {
      const first = await line.deliver(() => send(`sim-${id}`));
      if (job.kind === 'stop_lapsed') stats.lapsesLifted++;
      else if (job.expected) stats.confirmationsSent++;
      else stats.confirmedForPeople++;
      const parcel = job.expected?.stop.parcel ?? job.stop?.parcel;
      const run = job.expected?.stop.run ?? job.stop?.run;
      if (parcel && run && job.at !== undefined)
        world.record({
          type: 'confirmation',
          at: job.at,
          fraud: run.fraud.index,
          parcel: parcel.id,
          key: job.expected?.key ?? 'lapse',
          outcome: body.outcome,
          amountFen: job.plan.outcome === 'executed' ? (job.plan.amountFen ?? null) : null,
          failureReason: job.plan.failureReason ?? null,
        });
      settle();
      if (deps.fault.isAnsweringTwice)
        for (const key of [`sim-${id}`, `sim-${id}-again`]) {
          const again = await send(key);
          if (again.status === first.status && again.sequence === first.sequence)
            stats.duplicateAnswersAbsorbed++;
          else countError(stats, 'duplicate_confirmation_changed_state');
        }
    } catch (err) {
      settle();
      if (err instanceof ApiError && err.status === 409) {
        // A liaison in the console confirmed it first.
        stats.answeredElsewhere++;
        return;
      }
      countError(stats, err instanceof ApiError ? `bank_confirm_${err.status}` : 'bank_confirm_network', err);
    }
  }

  /** A protective hold or its release: placed (or refused) and lifted within minutes, at people's pace. */
  async function confirmHold(item: SignedInstruction, kind: HoldKind, dueReal: number): Promise<void> {
    const { instructionId: id, issuedAt } = item.instruction as MeasureFields;
    const plan = planHoldConfirmation(deps.seed, kind, id);
    const executedAt = new Date(Math.min(Date.now(), Math.max(dueReal, Date.parse(issuedAt))));
    const body = holdConfirmationBody(kind, plan.outcome, executedAt);
    try {
      await line.deliver(() => line.postSigned(id, 'confirm', `sim-${id}`, body));
      stats.holdsAnswered++;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) stats.answeredElsewhere++;
      else countError(stats, err instanceof ApiError ? `bank_hold_${err.status}` : 'bank_hold_network', err);
    }
  }

  return {
    /** Schedules the answer to a protective hold or its release. */
    takeHold(item: SignedInstruction, kind: HoldKind): void {
      const { instructionId, issuedAt } = item.instruction as MeasureFields;
      const due =
        Date.parse(issuedAt) + planHoldConfirmation(deps.seed, kind, instructionId).delayMs * deps.pace;
      line.acknowledgeIfSlow(item, due);
      line.schedule(due, () => confirmHold(item, kind, due));
    },

    /** Plans and schedules the confirmation of an open measure or lapse notice. */
    take(item: SignedInstruction): void {
      const kind = item.kind as MeasureKind;
      const fields = item.instruction as MeasureFields;
      const issuedAt = Date.parse(fields.issuedAt);
      const slow = deps.fault.slow ?? 1;
      const expected = fields.decisionNumber ? deps.measures.get(fields.decisionNumber) : undefined;
      const stop = kind === 'stop_lapsed' ? world.plans.get(fields.stopInstructionId ?? '') : undefined;
      const parcel = expected?.stop.parcel ?? stop?.parcel;
      // Decided by the account and the measure, never by ids fanzha made up — unless people asked for it.
      const identity = parcel
        ? `${parcel.id}.${expected?.key ?? 'lapse'}`
        : `${kind}.${fields.instructionId}`;
      const plan = planConfirmation(
        deps.seed,
        deps.bankCode,
        kind,
        identity,
        typeof fields.amountFen === 'number' ? fields.amountFen : null,
        slow,
      );
      let at: number | undefined;
      let due: number;
      if (expected) {
        at = expected.requestedAt + plan.delayMs;
        due = world.realAt(expected.stop.run, at);
      } else {
        if (stop) at = world.modelAt(stop.run, issuedAt) + plan.delayMs;
        due = issuedAt + plan.delayMs * deps.pace;
      }
      // Late: an hour (at people's pace) after fanzha's due date, which is days away.
      if (plan.isLate && deps.pace > 0 && item.deadlineAt) {
        due = Date.parse(item.deadlineAt) + 3_600_000 * deps.pace;
        if (expected) expected.isLate = true;
      }
      const job: Job = { item, kind, plan, expected, stop, at };
      line.acknowledgeIfSlow(item, due);
      line.schedule(due, () => confirm(job, due));
    },

    /** Someone else confirmed a measure the robots asked for (a person, at a bank left to people). */
    confirmedBy(item: SignedInstruction): void {
      const dn = (item.instruction as MeasureFields).decisionNumber;
      const expected = dn ? deps.measures.get(dn) : undefined;
      if (!expected || expected.settledAt !== undefined) return;
      deps.measures.settle(
        expected.decisionNumber,
        world.modelAt(expected.stop.run, Date.parse(item.answer?.answeredAt ?? item.updatedAt)),
      );
    },
  };
}

import type { MeasureKind } from '@fanzha/domain';
import type { InstructionPlan } from './world';

/**
 * The measures the robot officers asked for, by decision number (unique, chosen by the officer): how a bank
 * recognises a freeze, renewal, release or return in its feed and finds the stable identity its decision
 * depends on. The officer writes the entry before it sends the request, so the bank never sees the
 * instruction first. When the bank has confirmed, the entry says when (simulation time) and wakes the
 * officer, who then reads the outcome through the API like anyone.
 */
export interface ExpectedMeasure {
  decisionNumber: string;
  kind: Exclude<MeasureKind, 'stop_lapsed'>;
  /** The kind and the attempt, `freeze.2`: with the parcel, an identity stable across runs of a seed. */
  key: string;
  stop: InstructionPlan;
  /** Simulation time the officer sent it. */
  requestedAt: number;
  instructedFen: number | null;
  /** Simulation time the bank confirmed (or failed) it, once it has. */
  settledAt?: number;
  /** The bank will confirm it only days later (a late return at people's pace): the run does not wait. */
  isLate?: boolean;
}

export function createMeasureBook() {
  const entries = new Map<string, ExpectedMeasure>();
  const waiters = new Map<string, Array<() => void>>();
  return {
    expect(m: ExpectedMeasure): ExpectedMeasure {
      entries.set(m.decisionNumber, m);
      return m;
    },
    get: (decisionNumber: string) => entries.get(decisionNumber),
    /** The bank has answered (at `at`, simulation time): wake whoever waits for it. */
    settle(decisionNumber: string, at: number): void {
      const m = entries.get(decisionNumber);
      if (m && m.settledAt === undefined) m.settledAt = at;
      for (const wake of waiters.get(decisionNumber) ?? []) wake();
      waiters.delete(decisionNumber);
    },
    /** Resolves when the bank settles the measure, or after `ms` (the caller then looks for itself). */
    wait(decisionNumber: string, ms: number, sleep: (ms: number) => Promise<void>): Promise<void> {
      if (entries.get(decisionNumber)?.settledAt !== undefined) return Promise.resolve();
      return Promise.race([
        sleep(ms),
        new Promise<void>((resolve) => {
          const list = waiters.get(decisionNumber) ?? [];
          list.push(resolve);
          waiters.set(decisionNumber, list);
        }),
      ]);
    },
    /** Done with it (settled and seen): forget it, so a demo can run for days. */
    forget(decisionNumber: string): void {
      entries.delete(decisionNumber);
      waiters.delete(decisionNumber);
    },
  };
}
export type MeasureBook = ReturnType<typeof createMeasureBook>;

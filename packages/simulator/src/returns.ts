import type { ReturnPlan } from './cases';
import type { InstructionPlan } from './world';

/** A return the robots had approved, waiting for the simulated bank of the frozen account to confirm it. */
export interface ExpectedReturn {
  decisionId: string;
  bankCode: string;
  stop: InstructionPlan;
  plan: ReturnPlan;
  /** The run waits for it before it ends (not for a late one at a human pace: that is days away). */
  isAwaited: boolean;
}

/** Approved returns by decision id, for the banks to look up what they see in their queue. */
export function createReturnBook() {
  const expected = new Map<string, ExpectedReturn>();
  const perBank = new Map<string, number>();
  const add = (bankCode: string, n: number) => perBank.set(bankCode, (perBank.get(bankCode) ?? 0) + n);
  return {
    expect(r: ExpectedReturn): void {
      expected.set(r.decisionId, r);
      add(r.bankCode, 1);
    },
    get: (decisionId: string) => expected.get(decisionId),
    /** Confirmed (or given up on): forget it. */
    settle(decisionId: string): void {
      const r = expected.get(decisionId);
      if (!r) return;
      expected.delete(decisionId);
      add(r.bankCode, -1);
    },
    /** Whether this bank has returns to look for in its queue. */
    isWaitingAt: (bankCode: string) => (perBank.get(bankCode) ?? 0) > 0,
    awaited(): number {
      let n = 0;
      for (const r of expected.values()) if (r.isAwaited) n++;
      return n;
    },
  };
}
export type ReturnBook = ReturnType<typeof createReturnBook>;

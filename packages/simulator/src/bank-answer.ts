import type { InstructionResultRequest } from '@fanzha/contracts';
import type { StopFailureReason } from '@fanzha/domain';
import type { MuleAccount, Parcel } from './mules';
import { clamp, rngFor, type Seed } from './rng';

/**
 * How a bank answers a stop-payment instruction, decided from the money trail alone (pure). The stop
 * takes effect when the bank answers: whatever left the account before then is named as onward
 * transfers (each becomes a request one layer deeper), whatever was cashed out is gone, the rest is
 * stopped. A few answers fail for a reason unrelated to the money.
 */
export interface BankProfile {
  /** Median seconds from receiving an instruction to answering it, at human speed. */
  medianS: number;
  /** Share of instructions that fail for a reason other than an empty account. */
  failureRate: number;
}

/** Big banks have liaisons in the centre and automated gateways; small ones answer more slowly (our estimate). */
const fastBanks = new Set(['ICBC', 'ABC', 'BOC', 'CCB', 'PSBC', 'CMB']);
export function bankProfile(bankCode: string): BankProfile {
  return fastBanks.has(bankCode) ? { medianS: 18, failureRate: 0.03 } : { medianS: 30, failureRate: 0.05 };
}

export interface PlannedAnswer {
  outcome: 'stopped' | 'failed';
  stoppedFen: number;
  balanceFen: number;
  failureReason: StopFailureReason | undefined;
  note: string | undefined;
  /** The next layer's parcels the bank names: the money that left before the stop. */
  onward: Parcel[];
  /** What the bank says the account is used for, when it looked at the account. */
  accountUse: AccountUse | undefined;
  /** The account holder's ID number, when the bank looked at the account (for the two-cards registry). */
  holderIdNumber: string | undefined;
}

export type AccountUse = 'merchant' | 'personal';

/** Share of mule cards that are a merchant's collection account (a shop's QR code or POS account). */
export const MERCHANT_SHARE = 0.05;

/**
 * What a bank says a mule card is used for: about one in twenty is a merchant's account (gangs rent shops'
 * collection accounts), the rest personal. The same card is the same answer in every case.
 */
export function accountUseOf(seed: Seed, account: MuleAccount): AccountUse {
  return rngFor(seed, 'account-use', account.number).chance(MERCHANT_SHARE) ? 'merchant' : 'personal';
}

// Weights among failures, and the note a bank writes with `other` (our estimate).
const failures: ReadonlyArray<readonly [StopFailureReason, number]> = [
  ['already_restricted', 30],
  ['name_mismatch', 25],
  ['account_closed', 15],
  ['no_such_account', 10],
  ['other', 20],
];

/** Seconds (simulation time) the bank takes to answer this parcel's instruction; `slow` stretches it. */
export function answerDelayMs(seed: Seed, parcel: Parcel, bankCode: string, slow = 1): number {
  const rng = rngFor(seed, 'answer-delay', parcel.id);
  return clamp(rng.logNormal(bankProfile(bankCode).medianS, 0.5), 5, 55) * 1000 * slow;
}

export function planAnswer(seed: Seed, parcel: Parcel, stopAt: number): PlannedAnswer {
  const rng = rngFor(seed, 'answer', parcel.id);
  if (rng.chance(bankProfile(parcel.account.bankCode).failureRate)) {
    const reason = failures[rng.weightedIndex(failures.map((f) => f[1]))]![0];
    return {
      outcome: 'failed',
      stoppedFen: 0,
      balanceFen: 0,
      failureReason: reason,
      note: reason === 'other' ? '核心系统维护中，已转人工核实' : undefined,
      onward: [],
      accountUse: undefined,
      holderIdNumber: undefined,
    };
  }
  const onward = parcel.onward.filter((p) => p.arrivedAt <= stopAt);
  const moved = onward.reduce((s, p) => s + p.amountFen, 0);
  const cashed = parcel.cashOut && parcel.cashOut.at <= stopAt ? parcel.cashOut.amountFen : 0;
  const left = Math.max(0, parcel.amountFen - moved - cashed);
  const accountUse = accountUseOf(seed, parcel.account);
  const holderIdNumber = parcel.account.holderIdNumber;
  return left > 0
    ? {
        outcome: 'stopped',
        stoppedFen: left,
        balanceFen: left,
        failureReason: undefined,
        note: undefined,
        onward,
        accountUse,
        holderIdNumber,
      }
    : {
        outcome: 'failed',
        stoppedFen: 0,
        balanceFen: 0,
        failureReason: 'nothing_to_stop',
        note: undefined,
        onward,
        accountUse,
        holderIdNumber,
      };
}

/**
 * The answer as the bank sends it, in the strict shape the contract asks for: the amount stopped and the
 * balance it looked at, the onward transfers (an empty list when none), a reason when it failed and a note
 * with `other`. `realAt` places a transfer's simulation time on the wall clock.
 */
export function answerBody(a: PlannedAnswer, realAt: (at: number) => number): InstructionResultRequest {
  return {
    outcome: a.outcome,
    stoppedFen: a.stoppedFen,
    // A bank knows the balance when it looked at the account; not when there is no account to look at.
    ...(a.outcome === 'stopped' || a.failureReason === 'nothing_to_stop' ? { balanceFen: a.balanceFen } : {}),
    ...(a.failureReason ? { failureReason: a.failureReason } : {}),
    ...(a.note ? { note: a.note } : {}),
    ...(a.accountUse ? { accountUse: a.accountUse } : {}),
    ...(a.holderIdNumber ? { holderIdNumber: a.holderIdNumber } : {}),
    onwardTransfers: a.onward.map((p) => ({
      account: { number: p.account.number, name: p.account.name },
      amountFen: p.amountFen,
      transferredAt: new Date(realAt(p.arrivedAt)).toISOString(),
    })),
  };
}

import type { MeasureConfirmationRequest } from '@fanzha/contracts';
import type { HoldKind, MeasureFailureReason, MeasureKind } from '@fanzha/domain';
import { clamp, rngFor, type Seed } from './rng';

/**
 * How a bank carries out the measures after the stop — freezes, renewals, releases, returns and lapse
 * notices — decided from the seed and stable identities alone (pure). Each bank has a style of its own,
 * drawn from the seed: prompt, slow (some confirmations take hours) or strict (fails and executes in
 * part more often). All figures are our estimates: banks publish none.
 */
export type BankStyle = 'prompt' | 'slow' | 'strict';

export interface MeasureProfile {
  style: BankStyle;
  /** Median seconds from receiving a measure to confirming it, at people's pace. */
  medianS: number;
  /** Share of confirmations that take hours instead (a back office, a night). */
  slowShare: number;
  failureRate: number;
  /** Share of freezes, releases and returns carried out for less than instructed. */
  partialRate: number;
  /** Share of returns confirmed only after they are due. */
  lateReturnRate: number;
}

const styles: Record<BankStyle, Omit<MeasureProfile, 'style'>> = {
  prompt: { medianS: 90, slowShare: 0.02, failureRate: 0.03, partialRate: 0.05, lateReturnRate: 0.05 },
  slow: { medianS: 600, slowShare: 0.2, failureRate: 0.05, partialRate: 0.1, lateReturnRate: 0.2 },
  strict: { medianS: 240, slowShare: 0.05, failureRate: 0.12, partialRate: 0.2, lateReturnRate: 0.1 },
};

export function measureProfile(seed: Seed, bankCode: string): MeasureProfile {
  const rng = rngFor(seed, 'bank-style', bankCode);
  const style = (['prompt', 'slow', 'strict'] as const)[rng.weightedIndex([50, 25, 25])]!;
  return { style, ...styles[style] };
}

// Why a measure fails, per kind, with weights (our estimate).
const failureMix: Record<Exclude<MeasureKind, 'stop_lapsed'>, Array<[MeasureFailureReason, number]>> = {
  freeze: [
    ['already_restricted', 35],
    ['insufficient_funds', 20],
    ['account_closed', 15],
    ['other', 30],
  ],
  freeze_renewal: [
    ['not_frozen_here', 30],
    ['other', 70],
  ],
  release: [
    ['not_frozen_here', 40],
    ['other', 60],
  ],
  return: [
    ['payee_rejected', 60],
    ['other', 40],
  ],
};

const notes: Record<MeasureKind, string> = {
  freeze: '核心系统批量冻结失败，已转人工处理',
  freeze_renewal: '续冻文书信息与原冻结不符，请核对后重发',
  release: '解冻指令与冻结记录不一致，待人工核对',
  return: '跨行汇路异常，返还款项被退回',
  stop_lapsed: '止付已按期解除',
};

export interface PlannedConfirmation {
  /** Simulation ms from the instruction to the confirmation. */
  delayMs: number;
  outcome: 'executed' | 'failed';
  /** Freeze, release, return: what was actually done (less than instructed: in part). */
  amountFen: number | undefined;
  isPartial: boolean;
  failureReason: MeasureFailureReason | undefined;
  note: string | undefined;
  /** A return confirmed after it is due (fanzha escalates it as overdue meanwhile). */
  isLate: boolean;
  bankReference: string | undefined;
}

const SECOND = 1000;
const HOUR = 3_600 * SECOND;
const movesMoney = (k: MeasureKind) => k === 'freeze' || k === 'release' || k === 'return';

/**
 * What the bank does with one measure. `identity` is stable across runs of a seed (e.g. `f3.t0.1.freeze.1`:
 * the account's parcel, the kind and the attempt), never an id fanzha made up.
 */
export function planConfirmation(
  seed: Seed,
  bankCode: string,
  kind: MeasureKind,
  identity: string,
  instructedFen: number | null,
  slow = 1,
): PlannedConfirmation {
  const profile = measureProfile(seed, bankCode);
  const rng = rngFor(seed, 'confirmation', identity);
  const delayS = rng.chance(profile.slowShare)
    ? clamp(rng.logNormal(2 * 3_600, 0.5), 1_800, 6 * 3_600)
    : clamp(rng.logNormal(profile.medianS, 0.6), 10, 1_800);
  const base = {
    delayMs: delayS * SECOND * slow,
    amountFen: undefined,
    isPartial: false,
    failureReason: undefined,
    note: undefined,
    isLate: false,
    bankReference: undefined,
  };
  // A lapse notice only asks the bank to lift the stop: nothing to refuse.
  if (kind === 'stop_lapsed') return { ...base, delayMs: Math.min(base.delayMs, HOUR), outcome: 'executed' };
  if (rng.chance(profile.failureRate)) {
    const mix = failureMix[kind];
    const reason = mix[rng.weightedIndex(mix.map((m) => m[1]))]![0];
    return {
      ...base,
      outcome: 'failed',
      failureReason: reason,
      note: reason === 'other' ? notes[kind] : undefined,
    };
  }
  let amountFen: number | undefined;
  let isPartial = false;
  if (movesMoney(kind) && instructedFen !== null) {
    isPartial = instructedFen > 1 && rng.chance(profile.partialRate);
    // In part: another authority holds some of it, or the payee's bank took only part (at least 1 fen).
    amountFen = isPartial
      ? clamp(Math.floor(instructedFen * (0.5 + 0.45 * rng.next())), 1, instructedFen - 1)
      : instructedFen;
  }
  const isLate = kind === 'return' && rng.chance(profile.lateReturnRate);
  return {
    ...base,
    outcome: 'executed',
    amountFen,
    isPartial,
    isLate,
    bankReference: kind === 'return' ? `${bankCode}-RT-${rng.digits(10)}` : undefined,
  };
}

const executedOutcome = {
  freeze: 'frozen',
  freeze_renewal: 'renewed',
  release: 'released',
  return: 'returned',
  stop_lapsed: 'lifted',
} as const satisfies Record<MeasureKind, string>;

/** The confirmation as the bank sends it: exactly the fields the kind asks for. */
export function confirmationBody(
  kind: MeasureKind,
  plan: PlannedConfirmation,
  executedAt: Date,
): MeasureConfirmationRequest {
  if (plan.outcome === 'failed')
    return {
      outcome: 'failed',
      failureReason: plan.failureReason!,
      ...(plan.note ? { note: plan.note } : {}),
    };
  return {
    outcome: executedOutcome[kind],
    executedAt: executedAt.toISOString(),
    ...(plan.amountFen !== undefined ? { amountFen: plan.amountFen } : {}),
    ...(plan.bankReference ? { bankReference: plan.bankReference } : {}),
  };
}

/**
 * What the person's bank does with a protective hold (保护性止付) or its release: a hold is usually placed within
 * minutes, and refused now and then because the bank finds no such customer (the warned person banks
 * elsewhere); a release is always lifted. Our estimates.
 */
export function planHoldConfirmation(
  seed: Seed,
  kind: HoldKind,
  instructionId: string,
): { delayMs: number; outcome: 'executed' | 'failed' } {
  const rng = rngFor(seed, 'hold', instructionId);
  const delayMs = clamp(rng.logNormal(60, 0.6), 5, 900) * SECOND;
  return { delayMs, outcome: kind === 'protective_hold' && rng.chance(0.08) ? 'failed' : 'executed' };
}

/** The bank's confirmation of a hold (`held`) or its release (`lifted`), or the refusal of a hold. */
export function holdConfirmationBody(
  kind: HoldKind,
  outcome: 'executed' | 'failed',
  executedAt: Date,
): MeasureConfirmationRequest {
  if (outcome === 'failed') return { outcome: 'failed', failureReason: 'no_such_customer' };
  return { outcome: kind === 'protective_hold' ? 'held' : 'lifted', executedAt: executedAt.toISOString() };
}

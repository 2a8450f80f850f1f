/**
 * The bank protocol: every legal measure a bank must carry out reaches it as a signed instruction of its own
 * kind, and the bank confirms what it actually did. The centre's record of a measure moves only on that
 * confirmation, because the law puts the act at the bank:
 *
 *   emergency_stop_payment  紧急止付 (and the second, last one: `stopSeq` 2) — answered with `stopped`
 *   freeze                  协助冻结 — `frozen`, for at most the amount decided
 *   freeze_renewal          续冻 — `renewed`, to the new end
 *   release                 解冻 — `released`, part or all of the frozen money
 *   return                  资金返还 — `returned` to the victim's account, part or all
 *   stop_lapsed             notice that an emergency stop lapsed with no freeze — `lifted`
 *   protective_hold         保护性止付 of a warned person's own transfers, for 1–72 hours — `held`; it lapses by
 *                           itself at its end, with no further instruction
 *   protective_hold_release the centre lifts a protective hold before its end — `lifted`
 *
 * Any kind but the lapse notice and the hold's release may instead be answered `failed` with a reason: both
 * only end a restriction, which a bank can always do.
 */
export const bankInstructionKinds = [
  'emergency_stop_payment',
  'freeze',
  'freeze_renewal',
  'release',
  'return',
  'stop_lapsed',
  'protective_hold',
  'protective_hold_release',
] as const;
export type BankInstructionKind = (typeof bankInstructionKinds)[number];

/** The measures other than the emergency stop, which is answered with its own shape (onward transfers). */
export const measureKinds = ['freeze', 'freeze_renewal', 'release', 'return', 'stop_lapsed'] as const;
export type MeasureKind = (typeof measureKinds)[number];
export const isMeasureKind = (k: BankInstructionKind): k is MeasureKind =>
  (measureKinds as readonly string[]).includes(k);

/**
 * The protective hold's instructions (保护性止付): they protect a warned person from their own transfers, belong
 * to a warning episode rather than to a report, and name a person (and perhaps an account) instead of a
 * fraudster's account.
 */
export const holdKinds = ['protective_hold', 'protective_hold_release'] as const;
export type HoldKind = (typeof holdKinds)[number];
export const isHoldKind = (k: BankInstructionKind): k is HoldKind =>
  k === 'protective_hold' || k === 'protective_hold_release';

/** Kinds that end a restriction and so cannot fail. */
const cannotFail = (k: BankInstructionKind) => k === 'stop_lapsed' || k === 'protective_hold_release';

/** What the bank says it did, per kind: the status the instruction ends in. */
export const executedStatusOf = {
  emergency_stop_payment: 'stopped',
  freeze: 'frozen',
  freeze_renewal: 'renewed',
  release: 'released',
  return: 'returned',
  stop_lapsed: 'lifted',
  protective_hold: 'held',
  protective_hold_release: 'lifted',
} as const satisfies Record<BankInstructionKind, string>;
export type ExecutedStatus = (typeof executedStatusOf)[BankInstructionKind];

export const bankInstructionStatuses = [
  'sent',
  'acknowledged',
  'stopped',
  'frozen',
  'renewed',
  'released',
  'returned',
  'lifted',
  'held',
  'failed',
] as const;
export type BankInstructionStatus = (typeof bankInstructionStatuses)[number];
export const openBankInstructionStatuses = [
  'sent',
  'acknowledged',
] as const satisfies BankInstructionStatus[];

export type BankInstructionEvent = 'ack' | 'execute' | 'fail';

/** The instruction's life, as a table: sent ──ack──▶ acknowledged ──execute/fail──▶ done. */
const transitions: Record<
  'sent' | 'acknowledged',
  Record<BankInstructionEvent, (k: BankInstructionKind) => BankInstructionStatus | undefined>
> = {
  sent: {
    ack: () => 'acknowledged',
    execute: (k) => executedStatusOf[k],
    fail: (k) => (cannotFail(k) ? undefined : 'failed'),
  },
  acknowledged: {
    ack: () => undefined,
    execute: (k) => executedStatusOf[k],
    fail: (k) => (cannotFail(k) ? undefined : 'failed'),
  },
};

/** The next status, or undefined when the event is not allowed. */
export function nextBankInstructionStatus(
  kind: BankInstructionKind,
  from: BankInstructionStatus,
  event: BankInstructionEvent,
): BankInstructionStatus | undefined {
  if (from !== 'sent' && from !== 'acknowledged') return undefined;
  return transitions[from][event](kind);
}

export const isOpenBankInstruction = (s: BankInstructionStatus) => s === 'sent' || s === 'acknowledged';

/** Why a bank could not carry out a freeze, renewal, release, return or protective hold. */
export const measureFailureReasons = [
  'no_such_account',
  'account_closed',
  'insufficient_funds',
  'already_restricted',
  'payee_rejected',
  'not_frozen_here',
  'no_such_customer',
  'other',
] as const;
export type MeasureFailureReason = (typeof measureFailureReasons)[number];

export const measureFailureReasonNamesZh: Record<MeasureFailureReason, string> = {
  no_such_account: '查无此账户',
  account_closed: '账户已销户',
  insufficient_funds: '余额不足',
  already_restricted: '已被其他机关冻结',
  payee_rejected: '收款账户拒收/户名不符',
  not_frozen_here: '本行无此冻结',
  no_such_customer: '本行查无此客户',
  other: '其他原因',
};

/**
 * The version of the signed instruction's shape. 1: emergency stops only, with `expiresAt` counted from the
 * send (wrong: the law counts from the stop). 2: every measure is an instruction of its own kind; the emergency
 * stop states its duration, and the deadline runs from the stop the bank confirms.
 */
export const BANK_PROTOCOL_VERSION = 2;

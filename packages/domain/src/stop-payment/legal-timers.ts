import { addWorkingDays } from '../platform/working-days';

/**
 * The rules that govern stopped funds (公安部、银保监会 emergency stop-payment and freeze rules):
 *  - an emergency stop (紧急止付) lasts 48 hours from the stop; at most two per account per case;
 *  - before it lapses the case-owning police convert it into a freeze (冻结) by decision, for an amount
 *    not above the amount involved, for six months by default, renewable;
 *  - a freeze ends by release (解冻) or by return of the funds to the victim (资金返还), each decided by
 *    two different approvers; the bank returns the money within three working days of the decision.
 */
export const EMERGENCY_STOP_MS = 48 * 3_600_000;
export const MAX_EMERGENCY_STOPS = 2;
export const FREEZE_DEFAULT_MONTHS = 6;
export const RETURN_DUE_WORKING_DAYS = 3;

/** A return is due at the end of the third working day in China after its approval (the instruction's issue). */
export const returnDueAt = (approvedAt: Date) => addWorkingDays(approvedAt, RETURN_DUE_WORKING_DAYS);

/** Reminders before an emergency stop lapses, to the desk and the case-owning county. */
export const stopLapseReminders = [
  { key: '6h', beforeMs: 6 * 3_600_000 },
  { key: '1h', beforeMs: 3_600_000 },
] as const;
/** Reminders before a freeze ends. */
export const freezeEndReminders = [
  { key: '7d', beforeMs: 7 * 86_400_000 },
  { key: '1d', beforeMs: 86_400_000 },
] as const;

/** The emergency stop lapses 48 hours after the bank stopped the account (not after the instruction was sent). */
export const stopExpiresAt = (stoppedAt: Date) => new Date(stoppedAt.getTime() + EMERGENCY_STOP_MS);
export const EMERGENCY_STOP_HOURS = EMERGENCY_STOP_MS / 3_600_000;

/** A freeze's default end: the same day of the month `months` later (the month's last day if shorter). */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * Where an account's money stands in law, after the bank's answer:
 *  none      not stopped (no answer yet, failed, or withdrawn)
 *  stopped   emergency stop in force until `expiresAt`
 *  freezing  a freeze was decided and sent to the bank in time; the stop holds the money until the bank
 *            confirms the freeze
 *  lapsed    the 48 hours passed with no freeze or second stop
 *  renewed   superseded by the second emergency stop (a request of its own)
 *  frozen    a freeze decision is in force
 *  released  the freeze was released (解冻)
 *  returned  the funds were returned to the victim (资金返还)
 *  expired   the freeze ended without renewal
 */
export const legalStates = [
  'none',
  'stopped',
  'freezing',
  'lapsed',
  'renewed',
  'frozen',
  'released',
  'returned',
  'expired',
] as const;
export type LegalState = (typeof legalStates)[number];

export const legalStateNamesZh: Record<LegalState, string> = {
  none: '未止付',
  stopped: '止付中',
  freezing: '冻结待银行确认',
  lapsed: '止付已到期',
  renewed: '已续止付',
  frozen: '已冻结',
  released: '已解冻',
  returned: '已返还',
  expired: '冻结已到期',
};

/** The legal state, derived at `now` so a lapse shows exactly at the deadline, before any sweep runs. */
export function legalStateOf(
  s: {
    expiresAt: Date | null;
    renewedAt: Date | null;
    freeze: { status: FreezeStatus; endsAt: Date } | null;
  },
  now: Date,
): LegalState {
  // A freeze the bank refused leaves the stop as it was: still in force, or lapsing at its deadline.
  if (s.freeze && s.freeze.status !== 'failed') {
    if (s.freeze.status === 'requested') return 'freezing';
    if (s.freeze.status === 'active') return now >= s.freeze.endsAt ? 'expired' : 'frozen';
    return s.freeze.status;
  }
  if (s.renewedAt) return 'renewed';
  if (!s.expiresAt) return 'none';
  return now >= s.expiresAt ? 'lapsed' : 'stopped';
}

/**
 * A freeze: `requested` from the decision until the bank confirms it (`active`), or `failed` when the bank
 * could not freeze; an active freeze ends `released`, `returned` (when nothing is left frozen) or `expired`.
 */
export const freezeStatuses = ['requested', 'active', 'released', 'returned', 'expired', 'failed'] as const;
export type FreezeStatus = (typeof freezeStatuses)[number];

/** A freeze's end: the same day six months after the decision, unless the decision says earlier. */
export const freezeLimitFrom = (from: Date) => addMonths(from, FREEZE_DEFAULT_MONTHS);

export const fundDecisionKinds = ['release', 'return'] as const;
export type FundDecisionKind = (typeof fundDecisionKinds)[number];
/**
 * proposed → approved by a second person (the instruction goes to the bank) → confirmed by the bank, for the
 * amount it actually released or returned, or failed with its reason; or rejected by the second person.
 */
export const fundDecisionStatuses = ['proposed', 'approved', 'rejected', 'confirmed', 'failed'] as const;
export type FundDecisionStatus = (typeof fundDecisionStatuses)[number];
/** Decisions still holding part of the frozen money: several may run at once while their amounts fit. */
export const openFundDecisionStatuses = ['proposed', 'approved'] as const satisfies FundDecisionStatus[];

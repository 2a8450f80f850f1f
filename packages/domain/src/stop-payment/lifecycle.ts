/**
 * The stop-payment request's life, as an explicit state machine:
 *   pending ──send──▶ sent ──ack──▶ acknowledged ──result──▶ stopped | failed
 *      └──withdraw (the account was corrected or removed at intake before sending)──▶ withdrawn
 * A bank may answer straight from `sent`. Legal timers (lapse, freeze, release) come after `stopped`.
 */
export const stopPaymentStatuses = [
  'pending',
  'sent',
  'acknowledged',
  'stopped',
  'failed',
  'withdrawn',
] as const;
export type StopPaymentStatus = (typeof stopPaymentStatuses)[number];

export type StopPaymentEvent = 'send' | 'ack' | 'answer_stopped' | 'answer_failed' | 'withdraw';

const transitions: Record<StopPaymentStatus, Partial<Record<StopPaymentEvent, StopPaymentStatus>>> = {
  pending: { send: 'sent', withdraw: 'withdrawn' },
  sent: { ack: 'acknowledged', answer_stopped: 'stopped', answer_failed: 'failed' },
  acknowledged: { answer_stopped: 'stopped', answer_failed: 'failed' },
  stopped: {},
  failed: {},
  withdrawn: {},
};

/** The next status, or undefined when the event is not allowed from `from`. */
export function nextStopPaymentStatus(
  from: StopPaymentStatus,
  event: StopPaymentEvent,
): StopPaymentStatus | undefined {
  return transitions[from][event];
}

export const isOpenStatus = (s: StopPaymentStatus) => s === 'pending' || s === 'sent' || s === 'acknowledged';

/** Reasons a bank gives for not stopping an account. */
export const stopFailureReasons = [
  'no_such_account',
  'name_mismatch',
  'already_restricted',
  'account_closed',
  'nothing_to_stop',
  'other',
] as const;
export type StopFailureReason = (typeof stopFailureReasons)[number];

export const stopFailureReasonNamesZh: Record<StopFailureReason, string> = {
  no_such_account: '查无此账户',
  name_mismatch: '户名不符',
  already_restricted: '已被其他机关冻结/止付',
  account_closed: '账户已销户',
  nothing_to_stop: '余额为零，无可止付',
  other: '其他原因',
};

/**
 * How urgent an open request is: money moves on in minutes, so time since the transfer dominates;
 * larger amounts and the first layers (closest to the victim's money) come first among equals.
 * Higher is more urgent. Pure: `now` is passed in.
 */
export function urgencyScore(
  r: { transferredAt: Date | null; amountFen: number; layer: number },
  now: Date,
): number {
  const minutes = r.transferredAt ? Math.max(0, (now.getTime() - r.transferredAt.getTime()) / 60_000) : 0;
  // Fresh money is still catchable: urgency falls as the transfer ages past the first hours.
  const freshness = 1000 / (1 + minutes / 30);
  const amount = Math.log10(1 + r.amountFen / 100) * 50;
  const layer = 100 / r.layer;
  return Math.round(freshness + amount + layer);
}

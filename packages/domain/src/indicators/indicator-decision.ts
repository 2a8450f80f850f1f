import type { IndicatorStatus } from './indicator-snapshot';

/**
 * The decisions on an indicator (研判), each a status change recorded with who, why and when:
 * - `not_fraud`: an analyst found it is not a fraudster's (a shop's number a victim mistook): never matched;
 * - `share`: an analyst marks a value many unrelated people use (a bank's hotline, a payment gateway): kept,
 *   never matched;
 * - `unshare`: an analyst decides a shared value is a fraudster's after all: matched again, and the
 *   over-shared guard no longer moves it;
 * - `reinstate`: an analyst puts a cleared or suspended indicator back to active;
 * - `reassigned`: the operator reports that a number was given to a new subscriber (号码回收再分配):
 *   suspended, not blocked — the person who holds it now is not the fraudster (phone numbers only).
 * A merge is a decision too (`merge`), on two indicators; it is not in this table.
 */
export const indicatorDecisionActions = ['not_fraud', 'share', 'unshare', 'reinstate', 'reassigned'] as const;
export type IndicatorDecisionAction = (typeof indicatorDecisionActions)[number];

/** Every kind of entry in an indicator's decision history. */
export const indicatorHistoryActions = [...indicatorDecisionActions, 'merge'] as const;
export type IndicatorHistoryAction = (typeof indicatorHistoryActions)[number];

/** Which statuses each decision may be taken from, and the status it leads to. */
export const indicatorDecisionTable: Readonly<
  Record<IndicatorDecisionAction, { from: readonly IndicatorStatus[]; to: IndicatorStatus }>
> = {
  not_fraud: { from: ['active', 'shared', 'suspended'], to: 'not_fraud' },
  share: { from: ['active'], to: 'shared' },
  unshare: { from: ['shared'], to: 'active' },
  reinstate: { from: ['not_fraud', 'suspended'], to: 'active' },
  reassigned: { from: ['active', 'shared'], to: 'suspended' },
};

export type IndicatorDecisionOutcome =
  /** The status changes to `to`. */
  | { kind: 'change'; to: IndicatorStatus }
  /** Already so (the same decision taken again, a request sent twice): nothing changes. */
  | { kind: 'unchanged' }
  /** Not from this status (a merged indicator takes no decisions). */
  | { kind: 'refused'; reason: string };

/** What a decision does to an indicator in `status`. */
export function decideIndicator(
  status: IndicatorStatus,
  action: IndicatorDecisionAction,
): IndicatorDecisionOutcome {
  if (status === 'merged')
    return { kind: 'refused', reason: 'Merged into another indicator: decide on the one it went to' };
  const rule = indicatorDecisionTable[action];
  if (status === rule.to) return { kind: 'unchanged' };
  if (!rule.from.includes(status))
    return { kind: 'refused', reason: `Not from ${status}: ${action} is taken from ${rule.from.join(', ')}` };
  return { kind: 'change', to: rule.to };
}

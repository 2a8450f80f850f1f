// Pure: what an analyst may do with an indicator, and what a countermeasure on it would be. Kept out of the
// components so the rules are unit-tested without loading Ant Design.
import {
  indicatorDecisionTable,
  indicatorKindOf,
  partyKindOf,
  validateBankCard,
  type CountermeasureKind,
  type CountermeasurePartyKind,
  type IndicatorKind,
  type IndicatorStatus,
} from '@fanzha/domain';

/** The decisions an analyst takes in the console (`reassigned` is the operator's, through its API). */
export const consoleDecisions = ['not_fraud', 'share', 'unshare', 'reinstate'] as const;
export type ConsoleDecision = (typeof consoleDecisions)[number];

/** The decisions open from `status`, in the console's order; none for a merged indicator. */
export function decisionsFrom(status: IndicatorStatus): ConsoleDecision[] {
  if (status === 'merged') return [];
  return consoleDecisions.filter((a) => indicatorDecisionTable[a].from.includes(status));
}

/** The countermeasure that acts on an indicator of this kind, or null (a social account has none). */
export function countermeasureKindFor(kind: IndicatorKind): CountermeasureKind | null {
  const entry = (Object.entries(indicatorKindOf) as [CountermeasureKind, IndicatorKind][]).find(
    ([, k]) => k === kind,
  );
  return entry ? entry[0] : null;
}

/** Who executes a countermeasure of this kind: an operator or a bank. */
export const partyKindFor = (kind: CountermeasureKind): CountermeasurePartyKind => partyKindOf[kind];

/** The bank an account indicator's card number belongs to, by its BIN, when the number tells it. */
export function bankOfAccount(value: string): string | undefined {
  const card = validateBankCard(value, { requireLuhn: false });
  return card.ok ? card.value.bankCode : undefined;
}

/** An indicator may take a countermeasure while it is held as a fraudster's (not cleared, merged or suspended). */
export const canRequestCountermeasure = (status: IndicatorStatus, kind: IndicatorKind): boolean =>
  (status === 'active' || status === 'shared') && countermeasureKindFor(kind) !== null;

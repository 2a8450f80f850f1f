import type { IndicatorKind } from './indicator-kind';

/**
 * How an indicator stands, as the screening matcher and the grading need it: what the indicators module
 * publishes on `indicator.changed` and pages out to a worker building its matcher at start.
 * - `active`: matched and warned on;
 * - `shared`: a value many unrelated reports share (a bank's hotline): kept, never warned on until an
 *   analyst decides;
 * - `suspended`: a number its operator reported as reassigned;
 * - `not_fraud`: an analyst's decision;
 * - `merged`: merged into another indicator (its sources went there; it names where).
 * Only `active` indicators are in a matcher.
 */
export const indicatorStatuses = ['active', 'shared', 'suspended', 'not_fraud', 'merged'] as const;
export type IndicatorStatus = (typeof indicatorStatuses)[number];

export const indicatorRiskLevels = ['low', 'medium', 'high'] as const;
export type IndicatorRiskLevel = (typeof indicatorRiskLevels)[number];

export interface IndicatorSnapshot {
  readonly id: number;
  readonly kind: IndicatorKind;
  /** The normal form (`normaliseIndicator`). */
  readonly value: string;
  readonly status: IndicatorStatus;
  readonly riskLevel: IndicatorRiskLevel;
  /** Reports that name it, and their losses in fen. */
  readonly reportCount: number;
  readonly lossFen: number;
  /** ISO 8601; null for an indicator that no report names (from a bank's answer or an import). */
  readonly lastReportedAt: string | null;
}

import type { IndicatorRiskLevel, IndicatorStatus } from './indicator-snapshot';

/** What the risk level of an indicator is judged on: its record as the indicators module keeps it. */
export interface IndicatorRecord {
  /** Distinct reports that name it. */
  readonly reportCount: number;
  /** Bank answers that named it as an account the money went on to (a mule account seen moving money). */
  readonly answerCount: number;
  /** The named reports' losses, in fen. */
  readonly lossFen: number;
  /** The latest report that names it; null when none does. */
  readonly lastReportedAt: Date | null;
}

const DAY_MS = 86_400_000;
/** ¥10,000 and ¥100,000, in fen. */
const TEN_THOUSAND_YUAN = 1_000_000;
const HUNDRED_THOUSAND_YUAN = 10_000_000;

/** The thresholds, named so the docs and the tests can quote them. */
export const indicatorRiskRules = {
  /** Reports (or reports and answers together) that make an indicator high whatever else. */
  highReports: 3,
  /** Losses that make an indicator high. */
  highLossFen: HUNDRED_THOUSAND_YUAN,
  /** Losses that make a recently reported indicator high. */
  recentHighLossFen: TEN_THOUSAND_YUAN,
  /** How recent is recent. */
  recentDays: 7,
  /** Not reported for this long: one level lower (the fraudsters have moved on; a later issue decays it). */
  staleDays: 180,
} as const;

const order: readonly IndicatorRiskLevel[] = ['low', 'medium', 'high'];

/**
 * The risk level of an indicator from its record, at `now`:
 * - **high**: named by 3+ reports (bank answers count beside them), or ¥100,000+ of losses, or reported in
 *   the last 7 days with ¥10,000+ of losses;
 * - **medium**: named by 2 reports (or a report and a bank answer), or ¥10,000+ of losses, or named by a
 *   bank answer at all (money was seen moving through the account), or reported in the last 7 days;
 * - **low**: otherwise;
 * then one level lower when no report has named it for 180 days (never below low). An indicator no report
 * names (a bank answer's account) does not go stale this way: its age is the later issue's decay.
 */
export function indicatorRiskLevel(r: IndicatorRecord, now: Date): IndicatorRiskLevel {
  const named = r.reportCount + r.answerCount;
  const ageDays = r.lastReportedAt ? (now.getTime() - r.lastReportedAt.getTime()) / DAY_MS : null;
  const isRecent = ageDays !== null && ageDays <= indicatorRiskRules.recentDays;
  let level: IndicatorRiskLevel = 'low';
  if (
    named >= indicatorRiskRules.highReports ||
    r.lossFen >= indicatorRiskRules.highLossFen ||
    (isRecent && r.lossFen >= indicatorRiskRules.recentHighLossFen)
  )
    level = 'high';
  else if (named >= 2 || r.lossFen >= TEN_THOUSAND_YUAN || r.answerCount > 0 || isRecent) level = 'medium';
  if (ageDays !== null && ageDays > indicatorRiskRules.staleDays)
    level = order[Math.max(0, order.indexOf(level) - 1)]!;
  return level;
}

/**
 * The over-shared guard: an active indicator named by more distinct reports than `sharedReports` is most
 * likely a value many unrelated reports share (a bank's or a platform's hotline, a payment gateway's domain),
 * and warning everyone who contacts it would drown the desks. It becomes `shared`: kept and counted, never
 * matched, until an analyst decides. Every other status is a decision (an analyst's, an operator's) that
 * counting reports never overrides; nor is an `active` that an analyst decided (`isDecided`: unshared or
 * reinstated).
 */
export function indicatorStatusAfterReports(
  status: IndicatorStatus,
  reportCount: number,
  sharedReports: number,
  isDecided = false,
): IndicatorStatus {
  return status === 'active' && !isDecided && reportCount > sharedReports ? 'shared' : status;
}

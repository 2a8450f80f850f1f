import type { IndicatorStatus } from './indicator-snapshot';

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

import type { FundDecisionView } from '@fanzha/contracts';

/** Approved returns the bank has not confirmed by their due date (3 working days), the longest overdue first. */
export function overdueReturns(decisions: readonly FundDecisionView[], now: Date): FundDecisionView[] {
  return decisions
    .filter(
      (d) =>
        d.kind === 'return' &&
        d.status === 'approved' &&
        (d.isOverdue || (d.dueAt !== null && now.getTime() >= new Date(d.dueAt).getTime())),
    )
    .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
}

/** Proposals waiting for a second person, the oldest first. */
export function pendingProposals(decisions: readonly FundDecisionView[]): FundDecisionView[] {
  return decisions
    .filter((d) => d.status === 'proposed')
    .sort((a, b) => a.proposedAt.localeCompare(b.proposedAt));
}

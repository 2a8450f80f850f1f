import type { ClusterSummary } from '@fanzha/contracts';
import type { ClusterRow } from './case-links.repository';

export function toClusterSummary(r: ClusterRow): ClusterSummary {
  return {
    id: r.id,
    status: r.status,
    reportCount: r.report_count,
    alertedAt: r.alerted_at?.toISOString() ?? null,
    mergedInto: r.merged_into,
    handOff:
      r.hand_off_unit_kind && r.hand_off_unit_code && r.hand_off_due_at && r.handed_off_at
        ? {
            unitKind: r.hand_off_unit_kind,
            unitCode: r.hand_off_unit_code,
            dueAt: r.hand_off_due_at.toISOString(),
            at: r.handed_off_at.toISOString(),
          }
        : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * Where a decision's history entry keeps the hash of the request its Idempotency-Key was spent on (a retry with
 * another body is refused); the history shown leaves it out.
 */
export const REQUEST_HASH = 'requestHash';

import type { ReportLinkView } from './analysis-types';

/** How many active links each report of the cluster has. */
export function activeLinkCounts(links: readonly ReportLinkView[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of links) {
    if (l.status !== 'active') continue;
    for (const r of [l.a, l.b]) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return counts;
}

/**
 * Splitting a wrong link: the report proposed to leave is the one less bound to the cluster (fewer active
 * links; on a tie the later one, b). The analyst sees the proposal and may change it before confirming.
 */
export function proposeLeaving(
  links: readonly ReportLinkView[],
  link: Pick<ReportLinkView, 'a' | 'b'>,
): string {
  const counts = activeLinkCounts(links);
  return (counts.get(link.a) ?? 0) < (counts.get(link.b) ?? 0) ? link.a : link.b;
}

/** Active links first, then by when they were made. */
export const byEvidenceOrder = (x: ReportLinkView, y: ReportLinkView) =>
  (x.status === 'active' ? 0 : 1) - (y.status === 'active' ? 0 : 1) || x.linkedAt.localeCompare(y.linkedAt);

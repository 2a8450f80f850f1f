import { invalid, valid, type Validation } from '../../validators/result';
import { chooseSurvivor } from './link-plan';
import type { ReportLink } from './link-rules';

/** A cluster's state: linked by the rule (open), confirmed by an analyst, handed to an investigation unit, or merged into another. */
export const clusterStatuses = ['open', 'confirmed', 'handed_off', 'merged'] as const;
export type ClusterStatus = (typeof clusterStatuses)[number];

export const clusterStatusNamesZh: Record<ClusterStatus, string> = {
  open: '待研判',
  confirmed: '已串并',
  handed_off: '已移交',
  merged: '已合并',
};

/** What an analyst decides about a cluster. */
export type ClusterDecision = 'confirm' | 'split' | 'merge' | 'hand_off';

/** The status after a decision, or undefined when the cluster's status does not allow it. */
export function nextClusterStatus(
  status: ClusterStatus,
  decision: ClusterDecision,
): ClusterStatus | undefined {
  if (status === 'merged') return undefined;
  switch (decision) {
    case 'confirm':
      return status === 'open' ? 'confirmed' : undefined;
    case 'split':
    case 'merge':
      return status === 'handed_off' ? undefined : status;
    case 'hand_off':
      return status === 'open' || status === 'confirmed' ? 'handed_off' : undefined;
  }
}

export interface SplitPlan {
  /** The reports that stay in the cluster. */
  stay: string[];
  /** The reports that leave it, as a new cluster of their own (one report alone: no cluster). */
  moved: string[];
  /** The links crossing between them: kept as evidence, severed, never linked again automatically. */
  severed: ReportLink[];
}

/**
 * Splits `moved` off a cluster of `members` joined by `links`. Each named report must be a member, and at
 * least one must stay; the links between the two sides are severed.
 */
export function planSplit(
  members: readonly string[],
  links: readonly ReportLink[],
  moved: readonly string[],
): Validation<SplitPlan> {
  const inCluster = new Set(members);
  const out = new Set(moved);
  if (out.size !== moved.length) return invalid('split.repeated', 'A report is named more than once');
  if (out.size === 0) return invalid('split.empty', 'Name at least one report to split off');
  for (const id of out)
    if (!inCluster.has(id)) return invalid('split.not_member', `Report ${id} is not in this cluster`);
  if (out.size >= inCluster.size) return invalid('split.all', 'At least one report must stay in the cluster');
  const severed = links.filter(
    (l) => inCluster.has(l.a) && inCluster.has(l.b) && out.has(l.a) !== out.has(l.b),
  );
  return valid({
    stay: members.filter((id) => !out.has(id)).sort(),
    moved: [...out].sort(),
    severed,
  });
}

/** Merges clusters: at least two, distinct, none merged or handed off; the largest stays. */
export function planMerge(
  clusters: ReadonlyArray<{ id: string; reportCount: number; status: ClusterStatus }>,
): Validation<{ survivor: string; absorbed: string[] }> {
  const ids = new Set(clusters.map((c) => c.id));
  if (ids.size !== clusters.length) return invalid('merge.repeated', 'A cluster is named more than once');
  if (ids.size < 2) return invalid('merge.too_few', 'Name at least two clusters to merge');
  for (const c of clusters)
    if (!nextClusterStatus(c.status, 'merge'))
      return invalid('merge.status', `Cluster ${c.id} is ${c.status}: it cannot be merged`);
  const survivor = chooseSurvivor(clusters);
  return valid({ survivor, absorbed: [...ids].filter((id) => id !== survivor).sort() });
}

/** Whether a cluster growing from `before` to `after` reports passes the alert threshold (FANZHA_CLUSTER_ALERT_REPORTS). */
export function crossesAlert(before: number, after: number, threshold: number): boolean {
  return before <= threshold && after > threshold;
}

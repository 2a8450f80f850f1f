import type { ClusterStatus, ClusterSummary } from '@fanzha/contracts';

export interface ClusterFilter {
  status?: ClusterStatus | undefined;
}

/** Does a cluster belong in a list with this filter (the server's rule: merged ones only when asked for)? */
export function clusterMatches(filter: ClusterFilter, cluster: ClusterSummary): boolean {
  return filter.status ? cluster.status === filter.status : cluster.status !== 'merged';
}

/**
 * A list after one cluster changed, as the server orders it (the latest changed first): replaced or added
 * when it still matches the filter, dropped when it no longer does (merged away, or another status).
 */
export function upsertCluster(
  list: readonly ClusterSummary[],
  cluster: ClusterSummary,
  filter: ClusterFilter,
): ClusterSummary[] {
  const old = list.find((c) => c.id === cluster.id);
  // An older copy arriving late (a replay after a reconnect) never replaces a newer one.
  if (old && old.updatedAt > cluster.updatedAt) return [...list];
  const rest = list.filter((c) => c.id !== cluster.id);
  if (!clusterMatches(filter, cluster)) return rest;
  return [cluster, ...rest].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

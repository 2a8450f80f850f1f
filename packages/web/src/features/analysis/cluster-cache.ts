import type { ClusterFigures, ClusterStatus, ClusterSummary } from '@fanzha/contracts';

/** A row of the list: the cluster as last told, with its figures as of the list's last load (none if new since). */
export type ClusterRow = ClusterSummary & { figures?: ClusterFigures | undefined };

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
  list: readonly ClusterRow[],
  cluster: ClusterSummary,
  filter: ClusterFilter,
): ClusterRow[] {
  const old = list.find((c) => c.id === cluster.id);
  // An older copy arriving late (a replay after a reconnect) never replaces a newer one.
  if (old && old.updatedAt > cluster.updatedAt) return [...list];
  const rest = list.filter((c) => c.id !== cluster.id);
  if (!clusterMatches(filter, cluster)) return rest;
  // The stream tells the cluster, not its figures: the row keeps those of the last load.
  return [{ ...cluster, figures: old?.figures }, ...rest].sort((a, b) =>
    b.updatedAt.localeCompare(a.updatedAt),
  );
}

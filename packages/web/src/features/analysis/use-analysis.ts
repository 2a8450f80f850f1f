import type {
  AllocationRule,
  ClusterList,
  ClusterSummary,
  HandOffClusterRequest,
  MoneyTraceView,
} from '@fanzha/contracts';
import { useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { useLiveStream } from '../../live';
import { bankAccountOf } from './account-label';
import { upsertCluster, type ClusterFilter, type ClusterRow } from './cluster-cache';

export const CLUSTERS_KEY = '/api/investigation/clusters';
const clusterKey = (id: string) => [CLUSTERS_KEY, 'one', id] as const;
const listKey = (filter: ClusterFilter) => [CLUSTERS_KEY, 'list', filter] as const;

/** The clusters (串并案), the latest changed first. */
export function useClusters(filter: ClusterFilter) {
  return useQuery({
    queryKey: listKey(filter),
    queryFn: ({ signal }) =>
      api.GET('/api/investigation/clusters', {
        params: { query: { limit: 200, ...(filter.status ? { status: filter.status } : {}) } },
        signal,
      }),
  });
}

export function useCluster(id: string) {
  return useQuery({
    queryKey: clusterKey(id),
    queryFn: ({ signal }) =>
      api.GET('/api/investigation/clusters/{id}', { params: { path: { id } }, signal }),
  });
}

/** A cached list: rows told by the stream since the load may lack their figures. */
type CachedList = Omit<ClusterList, 'clusters'> & { clusters: ClusterRow[] };

function applyCluster(client: QueryClient, message: { cluster: ClusterSummary }) {
  for (const [key, data] of client.getQueriesData<CachedList>({ queryKey: [CLUSTERS_KEY, 'list'] })) {
    const filter = (key[2] ?? {}) as ClusterFilter;
    if (data)
      client.setQueryData<CachedList>(key, {
        ...data,
        clusters: upsertCluster(data.clusters, message.cluster, filter),
      });
  }
  // The open cluster page reloads its detail (profile, links, history) once the change is told.
  void client.invalidateQueries({ queryKey: clusterKey(message.cluster.id) });
}

/** Keeps the cluster lists current from the stream (a cluster made, grown, merged, split …). */
export function useClusterStream() {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null) void client.invalidateQueries({ queryKey: [CLUSTERS_KEY] });
    else if (message.type === 'cluster') applyCluster(client, message);
  });
}

export type TraceTarget = { kind: 'report'; reportId: string } | { kind: 'cluster'; reportIds: string[] };

/** Where the money went, under a rule: one report's, or several reports' together (a cluster's). */
export function useMoneyTrace(target: TraceTarget, rule: AllocationRule, maxDepth: number) {
  return useQuery<MoneyTraceView>({
    queryKey: ['/api/money-trace', target, rule, maxDepth],
    enabled: target.kind === 'report' || target.reportIds.length > 0,
    queryFn: ({ signal }) =>
      target.kind === 'report'
        ? api.GET('/api/reports/{id}/money-trace', {
            params: { path: { id: target.reportId }, query: { rule, maxDepth } },
            signal,
          })
        : api.POST('/api/money-graph/cluster-trace', {
            body: { reportIds: target.reportIds, rule, maxDepth },
            signal,
          }),
  });
}

/** Each victim's share of what the pooled accounts hold, under the rule (at most 20 accounts asked). */
export function useAccountShares(keys: readonly string[], rule: AllocationRule) {
  return useQueries({
    queries: keys.slice(0, 20).map((key) => {
      const account = bankAccountOf(key);
      return {
        queryKey: ['/api/money-graph/shares', key, rule],
        enabled: account !== undefined,
        queryFn: ({ signal }: { signal: AbortSignal }) =>
          api.GET('/api/money-graph/accounts/{bankCode}/{number}/shares', {
            params: { path: account!, query: { rule } },
            signal,
          }),
      };
    }),
  });
}

export type ClusterDecision =
  | { action: 'confirm'; id: string; reason: string }
  | { action: 'split'; id: string; reportIds: string[]; reason: string }
  | { action: 'merge'; clusterIds: string[]; reason: string }
  | ({ action: 'hand-off'; id: string } & HandOffClusterRequest);

/** An analyst's decision on a cluster; each carries a key, so a retry after a lost answer changes nothing twice. */
export function useClusterDecision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ClusterDecision & { key: string }) => {
      const header = { 'idempotency-key': input.key };
      switch (input.action) {
        case 'confirm':
          return api.POST('/api/investigation/clusters/{id}/confirm', {
            params: { path: { id: input.id }, header },
            body: { reason: input.reason },
          });
        case 'split':
          return api.POST('/api/investigation/clusters/{id}/split', {
            params: { path: { id: input.id }, header },
            body: { reportIds: input.reportIds, reason: input.reason },
          });
        case 'merge':
          return api.POST('/api/investigation/clusters/merge', {
            params: { header },
            body: { clusterIds: input.clusterIds, reason: input.reason },
          });
        case 'hand-off':
          return api.POST('/api/investigation/clusters/{id}/hand-off', {
            params: { path: { id: input.id }, header },
            body: {
              unitKind: input.unitKind,
              unitCode: input.unitCode,
              dueAt: input.dueAt,
              reason: input.reason,
            },
          });
      }
    },
    onSuccess: () => client.invalidateQueries({ queryKey: [CLUSTERS_KEY] }),
  });
}

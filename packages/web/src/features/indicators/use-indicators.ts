import type {
  CountermeasureBatchView,
  CountermeasureRequestItem,
  IndicatorDecisionRequest,
  IndicatorMergeRequest,
  IndicatorView,
} from '@fanzha/contracts';
import type { IndicatorKind, IndicatorRiskLevel, IndicatorStatus } from '@fanzha/domain';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

const KEY = 'indicators';

export interface IndicatorFilter {
  kind?: IndicatorKind;
  status?: IndicatorStatus;
  level?: IndicatorRiskLevel;
  q?: string;
}

/** The registry searched, page by page (keyset: each page's `nextCursor` asks for the next). */
export function useIndicatorSearch(filter: IndicatorFilter) {
  return useInfiniteQuery({
    queryKey: [KEY, 'search', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.GET('/api/indicators', {
        params: {
          query: {
            ...(filter.kind ? { kind: filter.kind } : {}),
            ...(filter.kind && filter.q ? { q: filter.q } : {}),
            ...(filter.status ? { status: filter.status } : {}),
            ...(filter.level ? { level: filter.level } : {}),
            ...(pageParam ? { after: pageParam } : {}),
            limit: 50,
          },
        },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One indicator with its provenance (the reports and bank answers that named it). */
export function useIndicator(id: string) {
  return useQuery({
    queryKey: [KEY, 'one', id],
    queryFn: ({ signal }) => api.GET('/api/indicators/{id}', { params: { path: { id } }, signal }),
  });
}

/** Its decisions, latest first. */
export function useIndicatorHistory(id: string) {
  return useQuery({
    queryKey: [KEY, 'history', id],
    queryFn: ({ signal }) => api.GET('/api/indicators/{id}/history', { params: { path: { id } }, signal }),
  });
}

export function useIndicatorDecision(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: IndicatorDecisionRequest): Promise<IndicatorView> =>
      api.POST('/api/indicators/{id}/decisions', { params: { path: { id } }, body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [KEY] }),
  });
}

/** Merges `from` into the survivor named in the body. */
export function useIndicatorMerge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ from, body }: { from: number; body: IndicatorMergeRequest }): Promise<IndicatorView> =>
      api.POST('/api/indicators/{id}/merge', { params: { path: { id: String(from) } }, body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [KEY] }),
  });
}

/**
 * One countermeasure request. The key is made when the dialog opens, so a retry of the same request (a
 * double click, a lost answer) answers the same batch and writes nothing more.
 */
export function useRequestCountermeasure() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      item,
      key,
    }: {
      item: CountermeasureRequestItem;
      key: string;
    }): Promise<CountermeasureBatchView> =>
      api.POST('/api/countermeasures', {
        params: { header: { 'idempotency-key': key } },
        body: { items: [item] },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['countermeasures'] }),
  });
}

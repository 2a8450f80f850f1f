import type { CountermeasureView } from '@fanzha/contracts';
import type { CountermeasureStatus } from '@fanzha/domain';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

// The operator console's key: its live stream (a countermeasure requested, answered, overdue) reloads these too.
const KEY = 'countermeasures';

export type CountermeasureFilter = CountermeasureStatus | 'open';

/** The centre's countermeasures of one status (`open`: awaiting the party), in request order, page by page. */
export function useCentreCountermeasures(status: CountermeasureFilter) {
  return useInfiniteQuery({
    queryKey: [KEY, 'centre', status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.GET('/api/countermeasures', {
        params: { query: { status, limit: 100, ...(pageParam ? { after: pageParam } : {}) } },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Per party: requested, executed, refused, open, overdue, numbers shut, the median time to execute. */
export function useCountermeasureFigures() {
  return useQuery({
    queryKey: [KEY, 'figures'],
    queryFn: ({ signal }) => api.GET('/api/countermeasures/figures', { signal }),
  });
}

/** Asks the party to lift an executed measure; the key is made when the dialog opens. */
export function useCountermeasureLift() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      reason,
      key,
    }: {
      id: string;
      reason: string;
      key: string;
    }): Promise<CountermeasureView> =>
      api.POST('/api/countermeasures/{id}/lift', {
        params: { path: { id }, header: { 'idempotency-key': key } },
        body: { reason },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [KEY] }),
  });
}

import type { StopPaymentList, StopPaymentView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { applyStopPayment, stopPaymentsKey, type StopPaymentFilter } from '../../live';

/** Pages read at most per query: 25 × 200 requests is more open work than a desk has. */
const MAX_PAGES = 25;

/**
 * A desk section's requests. `limit` caps a list that only shows the latest (answered); open work is read
 * page by page to the end, so nothing waiting is left out however long the queue grows.
 */
export function stopPaymentsQuery(filter: StopPaymentFilter, limit = 200, isComplete = true) {
  return {
    queryKey: stopPaymentsKey(filter),
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<StopPaymentList> => {
      const requests: StopPaymentView[] = [];
      let before: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = {
          status: filter.statuses.join(','),
          limit,
          ...(filter.reportId ? { reportId: filter.reportId } : {}),
          ...(before ? { before } : {}),
        };
        const list: StopPaymentList = await api.GET('/api/stop-payments', { params: { query }, signal });
        requests.push(...list.requests);
        before = list.nextCursor;
        if (!isComplete || !list.hasMore || !before) break;
      }
      return { requests, nextCursor: null, hasMore: false };
    },
  };
}

export const OPEN: StopPaymentFilter = { statuses: ['pending', 'sent', 'acknowledged'] };
export const ANSWERED: StopPaymentFilter = { statuses: ['stopped', 'failed'] };

/** Stopped accounts: those whose 48 hours still run are the desk's to watch until a freeze replaces them. */
export const STOPPED: StopPaymentFilter = { statuses: ['stopped'] };

export function useDeskQueue() {
  const open = useQuery(stopPaymentsQuery(OPEN));
  const answered = useQuery(stopPaymentsQuery(ANSWERED, 50, false));
  const stopped = useQuery(stopPaymentsQuery(STOPPED, 500, false));
  return { open, answered, stopped };
}

export function useSendStopPayment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, legalDocNumber }: { id: string; legalDocNumber: string }) =>
      api.POST('/api/stop-payments/{id}/send', { params: { path: { id } }, body: { legalDocNumber } }),
    onSuccess: (view) => applyStopPayment(client, view),
  });
}

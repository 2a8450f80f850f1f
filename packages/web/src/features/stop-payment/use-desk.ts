import type { StopPaymentList, StopPaymentView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { applyStopPayment, stopPaymentsKey, type StopPaymentFilter } from '../../live';

export function stopPaymentsQuery(filter: StopPaymentFilter, limit = 200) {
  const params = new URLSearchParams({ status: filter.statuses.join(','), limit: String(limit) });
  if (filter.reportId) params.set('reportId', filter.reportId);
  return {
    queryKey: stopPaymentsKey(filter),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get<StopPaymentList>(`/api/stop-payments?${params.toString()}`, { signal }),
  };
}

export const OPEN: StopPaymentFilter = { statuses: ['pending', 'sent', 'acknowledged'] };
export const ANSWERED: StopPaymentFilter = { statuses: ['stopped', 'failed'] };

/** Stopped accounts: those whose 48 hours still run are the desk's to watch until a freeze replaces them. */
export const STOPPED: StopPaymentFilter = { statuses: ['stopped'] };

export function useDeskQueue() {
  const open = useQuery(stopPaymentsQuery(OPEN));
  const answered = useQuery(stopPaymentsQuery(ANSWERED, 50));
  const stopped = useQuery(stopPaymentsQuery(STOPPED, 500));
  return { open, answered, stopped };
}

export function useSendStopPayment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, legalDocNumber }: { id: string; legalDocNumber: string }) =>
      api.post<StopPaymentView>(`/api/stop-payments/${encodeURIComponent(id)}/send`, { legalDocNumber }),
    onSuccess: (view) => applyStopPayment(client, view),
  });
}

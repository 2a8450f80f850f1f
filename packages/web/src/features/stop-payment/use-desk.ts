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

export function useDeskQueue() {
  const open = useQuery(stopPaymentsQuery(OPEN));
  const answered = useQuery(stopPaymentsQuery(ANSWERED, 50));
  return { open, answered };
}

export function useSendStopPayment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, legalDocNumber }: { id: string; legalDocNumber: string }) =>
      api.post<StopPaymentView>(`/api/stop-payments/${encodeURIComponent(id)}/send`, { legalDocNumber }),
    onSuccess: (view) => applyStopPayment(client, view),
  });
}

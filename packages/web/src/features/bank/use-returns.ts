import type { FundDecisionView, ReturnConfirmation } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '../../api';
import { useLiveStream } from '../../live';

export const BANK_RETURNS_KEY = ['/api/bank/returns'] as const;

/** Approved returns of the liaison's bank, waiting for the bank to return the funds and confirm. */
export function useBankReturns() {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // An approved return changes the account's view (its freeze): reload the list once after a burst.
  useLiveStream((message) => {
    if (message !== null && (message.type !== 'stop-payment' || message.request.freeze === null)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void client.invalidateQueries({ queryKey: BANK_RETURNS_KEY }), 300);
  });
  return useQuery({
    queryKey: BANK_RETURNS_KEY,
    queryFn: ({ signal }) => api.get<{ decisions: FundDecisionView[] }>('/api/bank/returns', { signal }),
    refetchInterval: 60_000,
  });
}

export function useConfirmReturn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ReturnConfirmation }) =>
      api.post<FundDecisionView>(`/api/bank/returns/${encodeURIComponent(id)}/confirm`, body),
    onSuccess: () => void client.invalidateQueries({ queryKey: BANK_RETURNS_KEY }),
  });
}

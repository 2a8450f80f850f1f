import type { CarrierAnswerRequest, CarrierRequestView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { useLiveStream } from '../../live';

const CARRIER_KEY = 'carrier-requests';

/** One operator's carrier assist requests: open oldest first, or the last answered, newest first. */
export function useCarrierRequests(status: 'open' | 'answered') {
  return useQuery({
    queryKey: [CARRIER_KEY, status],
    queryFn: ({ signal }) =>
      api.GET('/api/carrier-requests', { params: { query: { status, limit: 200 } }, signal }),
  });
}

/** The queue live: a request made or answered reloads both lists; so does a (re)connect. */
export function useCarrierStream() {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null || message.type === 'carrier-request')
      void client.invalidateQueries({ queryKey: [CARRIER_KEY] });
  });
}

export function useCarrierAnswer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CarrierAnswerRequest }): Promise<CarrierRequestView> =>
      api.POST('/api/carrier-requests/{id}/answer', { params: { path: { id } }, body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [CARRIER_KEY] }),
  });
}

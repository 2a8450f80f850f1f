import type { CallbackAttemptRequest } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';

const KEY = '/api/callbacks';

export function useCallbacks(status: 'open' | 'closed') {
  return useQuery({
    queryKey: [KEY, status],
    queryFn: ({ signal }) => api.GET('/api/callbacks', { params: { query: { status, limit: 200 } }, signal }),
    refetchInterval: 30_000,
  });
}

export function useCallbackView(id: string | null) {
  return useQuery({
    queryKey: [KEY, 'one', id],
    queryFn: ({ signal }) => api.GET('/api/callbacks/{id}', { params: { path: { id: id! } }, signal }),
    enabled: id !== null,
  });
}

/** The person's name and phone in full: the server audits every read, so only on the officer's click. */
export function useCallbackContact() {
  return useMutation({
    mutationFn: (id: string) =>
      api.POST('/api/callbacks/{id}/contact', { params: { path: { id } }, body: {} }),
  });
}

export function useRecordAttempt() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, key, body }: { id: string; key: string; body: CallbackAttemptRequest }) =>
      api.POST('/api/callbacks/{id}/attempts', {
        params: { path: { id }, header: { 'idempotency-key': key } },
        body,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [KEY] }),
  });
}

export function useCallbackRates(isEnabled: boolean) {
  return useQuery({
    queryKey: [KEY, 'rates'],
    queryFn: ({ signal }) => api.GET('/api/callbacks/rates', { params: { query: {} }, signal }),
    enabled: isEnabled,
    refetchInterval: 60_000,
  });
}

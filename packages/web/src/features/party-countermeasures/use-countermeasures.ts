import type { CountermeasureAnswer, CountermeasureView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { useLiveStream } from '../../live';

const KEY = 'countermeasures';

/** The countermeasures awaiting the liaison's operator or bank (and lifts asked of it), oldest first. */
export function usePendingCountermeasures() {
  return useQuery({
    queryKey: [KEY, 'open'],
    queryFn: ({ signal }) =>
      api.GET('/api/countermeasures', { params: { query: { status: 'open', limit: 200 } }, signal }),
  });
}

/** Live: a countermeasure requested, answered or past its SLA reloads the list; so does a (re)connect. */
export function useCountermeasureStream() {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null || message.type === 'countermeasure')
      void client.invalidateQueries({ queryKey: [KEY] });
  });
}

/** One answer; the key is made per click, so a retry of the same click changes nothing. */
export function useCountermeasureAnswer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      body,
      key,
    }: {
      id: string;
      body: CountermeasureAnswer;
      key: string;
    }): Promise<CountermeasureView> =>
      api.POST('/api/countermeasures/{id}/answer', {
        params: { path: { id }, header: { 'idempotency-key': key } },
        body,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [KEY] }),
  });
}

import type { TwoCardInstructionAnswer, TwoCardInstructionView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { useLiveStream } from '../../live';

const KEY = 'two-card-instructions';

/** The two-cards measures awaiting the liaison's bank or operator (applied or lifted), oldest first. */
export function usePendingTwoCardInstructions() {
  return useQuery({
    queryKey: [KEY, 'pending'],
    queryFn: ({ signal }) =>
      api.GET('/api/two-cards/instructions', {
        params: { query: { status: 'pending', limit: 200 } },
        signal,
      }),
  });
}

/**
 * Live: an instruction issued or answered reloads the list (the stream's message names it, nothing personal;
 * the list is read with the session); so does a (re)connect. The centre's pages pass their own query keys.
 */
export function useTwoCardInstructionStream(queryKey: readonly unknown[] = [KEY]) {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null || message.type === 'two-card-instruction')
      void client.invalidateQueries({ queryKey: [...queryKey] });
  });
}

/** One answer; the same answer again changes nothing on the server. */
export function useTwoCardInstructionAnswer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      body,
    }: {
      id: string;
      body: TwoCardInstructionAnswer;
    }): Promise<TwoCardInstructionView> =>
      api.POST('/api/two-cards/instructions/{id}/answer', { params: { path: { id } }, body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: [KEY] }),
  });
}

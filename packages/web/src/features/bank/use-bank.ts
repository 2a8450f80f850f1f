import type { InstructionResultRequest, MeasureConfirmationRequest } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { useLiveStream } from '../../live';
import {
  BANK_QUEUE_KEY,
  keepLiveArrivals,
  mergeItems,
  openPageQuery,
  readFeed,
  recentPageQuery,
  type BankItem,
  type FeedPageQuery,
} from './bank-queue';

const page = (query: FeedPageQuery, signal: AbortSignal) =>
  api.GET('/api/bank/instructions', { params: { query }, signal });

/**
 * The liaison's queue: every open instruction of every kind (read to the end of the feed, however many
 * were answered before), and the answers of the last day.
 */
export function useBankQueue(ownBank: string | null) {
  const client = useQueryClient();
  return useQuery({
    queryKey: BANK_QUEUE_KEY,
    queryFn: async ({ signal }) => {
      const now = new Date();
      const [open, recent] = await Promise.all([
        readFeed((after) => page(openPageQuery(after), signal)),
        readFeed((after) => page(recentPageQuery(after, now), signal)),
      ]);
      const previous = client.getQueryData<BankItem[]>(BANK_QUEUE_KEY) ?? [];
      return keepLiveArrivals([...recent, ...open], previous, ownBank);
    },
  });
}

function apply(client: QueryClient, items: BankItem[], ownBank: string | null) {
  client.setQueryData<BankItem[]>(BANK_QUEUE_KEY, (queue) =>
    queue ? mergeItems(queue, items, ownBank) : queue,
  );
}

/** Live updates into the queue: each message carries the instruction as signed, with its state. */
export function useBankStream(ownBank: string | null) {
  const client = useQueryClient();
  return useLiveStream((message) => {
    // After a (re)connect the queue may have missed changes: read it again.
    if (message === null) void client.invalidateQueries({ queryKey: BANK_QUEUE_KEY });
    else if (message.type === 'bank-instruction') apply(client, [message.item], ownBank);
  });
}

export function useAcknowledge(ownBank: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.POST('/api/bank/instructions/{id}/ack', { params: { path: { id } }, body: {} }),
    onSuccess: (item) => apply(client, [item], ownBank),
  });
}

/** The answer to an emergency stop; the instruction's new state is read back for the queue. */
export function useAnswer(ownBank: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      id,
      body,
      idempotencyKey,
    }: {
      id: string;
      body: InstructionResultRequest;
      idempotencyKey: string;
    }) => {
      const path = { id };
      await api.POST('/api/bank/instructions/{id}/result', {
        params: { path, header: { 'idempotency-key': idempotencyKey } },
        body,
      });
      return api.GET('/api/bank/instructions/{id}', { params: { path } });
    },
    onSuccess: (item) => apply(client, [item], ownBank),
  });
}

/** The confirmation of a freeze, renewal, release, return or lapse notice. */
export function useConfirm(ownBank: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      body,
      idempotencyKey,
    }: {
      id: string;
      body: MeasureConfirmationRequest;
      idempotencyKey: string;
    }) =>
      api.POST('/api/bank/instructions/{id}/confirm', {
        params: { path: { id }, header: { 'idempotency-key': idempotencyKey } },
        body,
      }),
    onSuccess: (item) => apply(client, [item], ownBank),
  });
}

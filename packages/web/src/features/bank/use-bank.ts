import type { InstructionList, InstructionResultRequest, StopPaymentView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '../../api';
import { useLiveStream } from '../../live';
import {
  BANK_INSTRUCTIONS_KEY,
  BANK_STATUSES,
  fromInstruction,
  mergeBankRow,
  sortBankRows,
  type BankRow,
} from './bank-rows';

export const bankKey = [BANK_INSTRUCTIONS_KEY, BANK_STATUSES.join(',')] as const;

export function useBankQueue() {
  const client = useQueryClient();
  return useQuery({
    queryKey: bankKey,
    queryFn: async ({ signal }) => {
      const { instructions } = await api.get<InstructionList>(
        `/api/bank/instructions?status=${BANK_STATUSES.join(',')}&limit=200`,
        { signal },
      );
      const previous = new Map((client.getQueryData<BankRow[]>(bankKey) ?? []).map((r) => [r.id, r]));
      return sortBankRows(
        instructions.map((s) => fromInstruction(s, previous.get(s.instruction.instructionId))),
      );
    },
  });
}

function apply(client: QueryClient, view: StopPaymentView, ownBank: string | null) {
  client.setQueryData<BankRow[]>(bankKey, (rows) => (rows ? mergeBankRow(rows, view, ownBank) : rows));
}

/**
 * Live updates into the queue. A new instruction shows at once from the update; its signed copy (key id,
 * expiry) follows in one reload shortly after, however many arrived together.
 */
export function useBankStream(ownBank: string | null) {
  const client = useQueryClient();
  const reload = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  return useLiveStream((message) => {
    if (message === null) {
      void client.invalidateQueries({ queryKey: bankKey });
      return;
    }
    if (message.type !== 'stop-payment') return;
    apply(client, message.request, ownBank);
    const row = client.getQueryData<BankRow[]>(bankKey)?.find((r) => r.id === message.request.id);
    if (row && row.keyId === null) {
      clearTimeout(reload.current);
      reload.current = setTimeout(() => void client.invalidateQueries({ queryKey: bankKey }), 500);
    }
  });
}

export function useAcknowledge(ownBank: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<StopPaymentView>(`/api/bank/instructions/${encodeURIComponent(id)}/ack`, {}),
    onSuccess: (view) => apply(client, view, ownBank),
  });
}

export function useAnswer(ownBank: string | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      body,
      idempotencyKey,
    }: {
      id: string;
      body: InstructionResultRequest;
      idempotencyKey: string;
    }) =>
      api.post<StopPaymentView>(`/api/bank/instructions/${encodeURIComponent(id)}/result`, body, {
        headers: { 'idempotency-key': idempotencyKey },
      }),
    onSuccess: (view) => apply(client, view, ownBank),
  });
}

import type {
  FreezeRequest,
  FundDecisionRequest,
  FundDecisionView,
  StopPaymentView,
} from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { STOP_PAYMENTS_KEY, applyStopPayment } from '../live';

export const FUND_DECISIONS_KEY = '/api/fund-decisions';

/** Fund decisions by status (proposed, approved …): the supervisor's queue, the overdue returns. */
export function useFundDecisions(statuses: readonly FundDecisionView['status'][], isEnabled = true) {
  const status = statuses.join(',');
  return useQuery({
    queryKey: [FUND_DECISIONS_KEY, status],
    queryFn: ({ signal }) => api.GET('/api/fund-decisions', { params: { query: { status } }, signal }),
    enabled: isEnabled,
  });
}

/** A changed freeze or decision shows in the stop-payment views (their `freeze`) and in the decision lists. */
function refreshAfterDecision(client: QueryClient) {
  void client.invalidateQueries({ queryKey: [FUND_DECISIONS_KEY] });
  void client.invalidateQueries({ queryKey: [STOP_PAYMENTS_KEY] });
  void client.invalidateQueries({ queryKey: ['/api/reports'] });
}

function changesRequest(client: QueryClient) {
  return (view: StopPaymentView) => {
    applyStopPayment(client, view);
    refreshAfterDecision(client);
  };
}

export function useFreeze() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: FreezeRequest }) =>
      api.POST('/api/stop-payments/{id}/freeze', { params: { path: { id } }, body }),
    onSuccess: changesRequest(client),
  });
}

export function useRenewFreeze() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      freezeId,
      body,
    }: {
      freezeId: string;
      body: { decisionNumber: string; endsAt?: string };
    }) => api.POST('/api/freezes/{id}/renew', { params: { path: { id: freezeId } }, body }),
    onSuccess: changesRequest(client),
  });
}

/** The second (and last) emergency stop of an account in this case: a new request of its own. */
export function useRestop() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, legalDocNumber }: { id: string; legalDocNumber: string }) =>
      api.POST('/api/stop-payments/{id}/restop', { params: { path: { id } }, body: { legalDocNumber } }),
    onSuccess: changesRequest(client),
  });
}

export function useProposeDecision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ freezeId, body }: { freezeId: string; body: FundDecisionRequest }) =>
      api.POST('/api/freezes/{id}/decisions', { params: { path: { id: freezeId } }, body }),
    onSuccess: () => refreshAfterDecision(client),
  });
}

export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      verdict: { id: string } & ({ verdict: 'approve' } | { verdict: 'reject'; reason: string }),
    ) => {
      const params = { path: { id: verdict.id } };
      return verdict.verdict === 'reject'
        ? api.POST('/api/fund-decisions/{id}/reject', { params, body: { reason: verdict.reason } })
        : api.POST('/api/fund-decisions/{id}/approve', { params, body: {} });
    },
    onSuccess: () => refreshAfterDecision(client),
  });
}

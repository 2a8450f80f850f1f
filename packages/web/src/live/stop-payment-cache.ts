import type { StopPaymentView } from '@fanzha/contracts';
import type { QueryClient } from '@tanstack/react-query';

/** The desk and report queries: one endpoint, keyed by the filter each asks with. */
export const STOP_PAYMENTS_KEY = '/api/stop-payments';

export interface StopPaymentFilter {
  statuses: readonly StopPaymentView['status'][];
  reportId?: string;
}

export const stopPaymentsKey = (filter: StopPaymentFilter) => [STOP_PAYMENTS_KEY, filter] as const;

export const byUrgency = (a: StopPaymentView, b: StopPaymentView) => b.urgency - a.urgency;

export function matchesFilter(request: StopPaymentView, filter: StopPaymentFilter): boolean {
  return (
    filter.statuses.includes(request.status) &&
    (filter.reportId === undefined || filter.reportId === request.reportId)
  );
}

/**
 * A list after one request changed: replaced where it was, added when it now belongs, dropped when it
 * no longer does (sent, answered, withdrawn), most urgent first as the server orders it.
 */
export function upsertRequest(
  list: readonly StopPaymentView[],
  request: StopPaymentView,
  filter: StopPaymentFilter,
): StopPaymentView[] {
  const rest = list.filter((r) => r.id !== request.id);
  if (!matchesFilter(request, filter)) return rest.length === list.length ? [...list] : rest;
  return [...rest, request].sort(byUrgency);
}

/** Applies one changed request to every stop-payment list in the cache; no list is refetched. */
export function applyStopPayment(client: QueryClient, request: StopPaymentView): void {
  for (const query of client.getQueryCache().findAll({ queryKey: [STOP_PAYMENTS_KEY] })) {
    const filter = query.queryKey[1] as StopPaymentFilter | undefined;
    if (!filter) continue;
    const data = query.state.data as { requests: StopPaymentView[] } | undefined;
    // Still loading: the answer may predate this change, so ask again once it is in.
    if (!data) {
      if (matchesFilter(request, filter)) void client.invalidateQueries({ queryKey: query.queryKey });
      continue;
    }
    client.setQueryData(query.queryKey, { requests: upsertRequest(data.requests, request, filter) });
  }
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { OPEN_ALERTS_KEY, applyAlert, useAlertStream } from '../../live';

/** The roles alerts are raised to: the desk (lapses), the county (its cases), the supervisor (all, 督办). */
export const ALERT_ROLES: ReadonlySet<string> = new Set([
  'stop_payment_officer',
  'county_police',
  'supervisor',
]);

/** Open alerts of the user's scope, kept current from the stream. */
export function useOpenAlerts(isEnabled = true) {
  useAlertStream();
  return useQuery({
    queryKey: OPEN_ALERTS_KEY,
    queryFn: ({ signal }) =>
      api.GET('/api/alerts', { params: { query: { open: 'true', limit: 200 } }, signal }),
    enabled: isEnabled,
    // Reminders are raised by the server's sweep; the stream brings them, a slow poll covers a gap.
    refetchInterval: 60_000,
  });
}

export function useAcknowledgeAlert() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.POST('/api/alerts/{id}/acknowledge', { params: { path: { id } }, body: {} }),
    onSuccess: (alert) => applyAlert(client, alert),
  });
}

/** Several at once (up to 500, all or nothing): a backlog cleared in one request. */
export function useAcknowledgeAlerts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: readonly string[]) => api.POST('/api/alerts/acknowledge', { body: { ids: [...ids] } }),
    onSuccess: ({ alerts }) => {
      for (const alert of alerts) applyAlert(client, alert);
      // The list shows at most 200: the rest of a backlog comes up now.
      void client.invalidateQueries({ queryKey: OPEN_ALERTS_KEY });
    },
  });
}

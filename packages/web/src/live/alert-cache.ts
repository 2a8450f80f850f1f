import type { AlertView } from '@fanzha/contracts';
import type { QueryClient } from '@tanstack/react-query';

/** The open alerts of the signed-in user's scope (desk, county or supervisor), newest first. */
export const OPEN_ALERTS_KEY = ['/api/alerts', 'open'] as const;

const newestFirst = (a: AlertView, b: AlertView) => b.raisedAt.localeCompare(a.raisedAt);

/** The open list after one alert was raised (added or replaced) or acknowledged (dropped). */
export function upsertAlert(list: readonly AlertView[], alert: AlertView): AlertView[] {
  const rest = list.filter((a) => a.id !== alert.id);
  return alert.acknowledgedAt === null ? [...rest, alert].sort(newestFirst) : rest;
}

export function applyAlert(client: QueryClient, alert: AlertView): void {
  client.setQueryData<{ alerts: AlertView[] }>(OPEN_ALERTS_KEY, (data) =>
    data ? { alerts: upsertAlert(data.alerts, alert) } : data,
  );
}

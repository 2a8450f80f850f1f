import type { CountyTaskView } from '@fanzha/contracts';
import type { CountyTaskStatus } from '@fanzha/domain';
import type { QueryClient } from '@tanstack/react-query';

/** The county consoles, the supervisor's and the report page ask one endpoint, keyed by their filter. */
export const COUNTY_TASKS_KEY = '/api/county-tasks';

export interface CountyTaskFilter {
  statuses: readonly CountyTaskStatus[];
  /** Supervisors: one county. */
  county?: string;
  reportId?: string;
  isOverdueOnly?: boolean;
}

export const countyTasksKey = (filter: CountyTaskFilter) => [COUNTY_TASKS_KEY, filter] as const;

export function taskMatches(task: CountyTaskView, filter: CountyTaskFilter): boolean {
  return (
    filter.statuses.includes(task.status) &&
    (filter.county === undefined || filter.county === task.countyCode) &&
    (filter.reportId === undefined || filter.reportId === task.reportId) &&
    (!filter.isOverdueOnly || task.isOverdue)
  );
}

/** The deadline that matters now: to accept while issued, then to answer. */
export function nextDeadline(task: Pick<CountyTaskView, 'status' | 'acceptDueAt' | 'dueAt'>): string {
  return task.status === 'issued' ? task.acceptDueAt : task.dueAt;
}

const isLive = (s: CountyTaskStatus) => s === 'issued' || s === 'accepted' || s === 'contacted';

/** Live work first, overdue first, then by the nearest deadline; finished tasks after, newest first. */
export function byDeadline(a: CountyTaskView, b: CountyTaskView): number {
  if (isLive(a.status) !== isLive(b.status)) return isLive(a.status) ? -1 : 1;
  if (!isLive(a.status)) return b.issuedAt.localeCompare(a.issuedAt);
  if (a.isOverdue !== b.isOverdue) return a.isOverdue ? -1 : 1;
  return nextDeadline(a).localeCompare(nextDeadline(b));
}

export function upsertTask(
  list: readonly CountyTaskView[],
  task: CountyTaskView,
  filter: CountyTaskFilter,
): CountyTaskView[] {
  const rest = list.filter((t) => t.id !== task.id);
  if (!taskMatches(task, filter)) return rest.length === list.length ? [...list] : rest;
  return [...rest, task].sort(byDeadline);
}

/** Applies one changed task to every county-task list in the cache, each by its own filter. */
export function applyCountyTask(client: QueryClient, task: CountyTaskView): void {
  for (const query of client.getQueryCache().findAll({ queryKey: [COUNTY_TASKS_KEY] })) {
    const filter = query.queryKey[1] as CountyTaskFilter | undefined;
    if (typeof filter !== 'object') continue;
    const data = query.state.data as { tasks: CountyTaskView[] } | undefined;
    if (!data) {
      if (taskMatches(task, filter)) void client.invalidateQueries({ queryKey: query.queryKey });
      continue;
    }
    client.setQueryData(query.queryKey, { tasks: upsertTask(data.tasks, task, filter) });
  }
}

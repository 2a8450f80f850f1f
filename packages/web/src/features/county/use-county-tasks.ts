import type { AnswerTaskRequest } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { COUNTY_TASKS_KEY, applyCountyTask, countyTasksKey, type CountyTaskFilter } from '../../live';

export function countyTasksQuery(filter: CountyTaskFilter, limit = 200) {
  const query = {
    status: filter.statuses.join(','),
    limit,
    ...(filter.county ? { county: filter.county } : {}),
    ...(filter.reportId ? { reportId: filter.reportId } : {}),
    ...(filter.isOverdueOnly ? { overdue: 'true' as const } : {}),
  };
  return {
    queryKey: countyTasksKey(filter),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.GET('/api/county-tasks', { params: { query }, signal }),
  };
}

export function useCountyTasks(filter: CountyTaskFilter, isEnabled = true) {
  return useQuery({ ...countyTasksQuery(filter), enabled: isEnabled });
}

export type TaskStep =
  | { step: 'accept' }
  | { step: 'contact'; note?: string }
  | { step: 'answer'; body: AnswerTaskRequest }
  | { step: 'transfer'; countyCode: string; reason: string };

/** Each step has its own route and body. */
function sendStep(id: string, s: TaskStep) {
  const params = { path: { id } };
  switch (s.step) {
    case 'accept':
      return api.POST('/api/county-tasks/{id}/accept', { params, body: {} });
    case 'contact':
      return api.POST('/api/county-tasks/{id}/contact', { params, body: s.note ? { note: s.note } : {} });
    case 'answer':
      return api.POST('/api/county-tasks/{id}/answer', { params, body: s.body });
    case 'transfer':
      return api.POST('/api/county-tasks/{id}/transfer', {
        params,
        body: { countyCode: s.countyCode, reason: s.reason },
      });
  }
}

/** One step of a county task: accept, record the contact, answer, or transfer to another county. */
export function useTaskStep() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...step }: { id: string } & TaskStep) => sendStep(id, step),
    onSuccess: (task, { step }) => {
      applyCountyTask(client, task);
      // A transfer makes a new task for the other county; the report's owner changes with it.
      if (step === 'transfer') void client.invalidateQueries({ queryKey: [COUNTY_TASKS_KEY] });
      void client.invalidateQueries({ queryKey: ['/api/reports', task.reportId] });
    },
  });
}

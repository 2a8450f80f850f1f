import type { AnswerTaskRequest, CountyTaskList, CountyTaskView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { COUNTY_TASKS_KEY, applyCountyTask, countyTasksKey, type CountyTaskFilter } from '../../live';

export function countyTasksQuery(filter: CountyTaskFilter, limit = 200) {
  const params = new URLSearchParams({ status: filter.statuses.join(','), limit: String(limit) });
  if (filter.county) params.set('county', filter.county);
  if (filter.reportId) params.set('reportId', filter.reportId);
  if (filter.isOverdueOnly) params.set('overdue', 'true');
  return {
    queryKey: countyTasksKey(filter),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.get<CountyTaskList>(`/api/county-tasks?${params.toString()}`, { signal }),
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

function bodyOf(s: TaskStep): object {
  switch (s.step) {
    case 'accept':
      return {};
    case 'contact':
      return s.note ? { note: s.note } : {};
    case 'answer':
      return s.body;
    case 'transfer':
      return { countyCode: s.countyCode, reason: s.reason };
  }
}

/** One step of a county task: accept, record the contact, answer, or transfer to another county. */
export function useTaskStep() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...step }: { id: string } & TaskStep) =>
      api.post<CountyTaskView>(`/api/county-tasks/${encodeURIComponent(id)}/${step.step}`, bodyOf(step)),
    onSuccess: (task, { step }) => {
      applyCountyTask(client, task);
      // A transfer makes a new task for the other county; the report's owner changes with it.
      if (step === 'transfer') void client.invalidateQueries({ queryKey: [COUNTY_TASKS_KEY] });
      void client.invalidateQueries({ queryKey: ['/api/reports', task.reportId] });
    },
  });
}

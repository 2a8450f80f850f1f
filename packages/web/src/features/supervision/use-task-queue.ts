import type { TaskLeagueQuery, TaskView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '../../api';
import { useLiveStream } from '../../live';

export const TASKS_KEY = '/api/tasks';

export interface TaskQueueFilter {
  kind?: TaskView['kind'] | undefined;
  unitKind?: TaskView['owner']['unitKind'] | undefined;
  isOverdueOnly: boolean;
}

/** The supervision queue (督办): open tasks of every kind, overdue first. */
export function useTaskQueue(filter: TaskQueueFilter) {
  return useQuery({
    queryKey: [TASKS_KEY, filter],
    queryFn: ({ signal }) =>
      api.GET('/api/tasks', {
        params: {
          query: {
            limit: 100,
            ...(filter.kind ? { kind: filter.kind } : {}),
            ...(filter.unitKind ? { unitKind: filter.unitKind } : {}),
            ...(filter.isOverdueOnly ? { overdue: 'true' as const } : {}),
          },
        },
        signal,
      }),
  });
}

export function useTaskLeague(q: TaskLeagueQuery) {
  return useQuery({
    queryKey: [TASKS_KEY, 'league', q],
    queryFn: ({ signal }) => api.GET('/api/tasks/league', { params: { query: q }, signal }),
  });
}

/**
 * Live: any instruction that changes (a stop, a hand-off, an episode, a carrier request) or a supervision
 * action reloads the queue once, however many arrive together.
 */
export function useTaskQueueStream() {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  return useLiveStream((message) => {
    const isRelevant =
      message === null ||
      ['task', 'stop-payment', 'county-task', 'episode', 'carrier-request'].includes(message.type);
    if (!isRelevant) return;
    clearTimeout(timer.current);
    // The queue is kept by the worker from these events: give it a moment to take them in.
    timer.current = setTimeout(() => void client.invalidateQueries({ queryKey: [TASKS_KEY] }), 800);
  });
}

export type SuperviseInput =
  | { action: 'urge'; id: string; note: string }
  | { action: 'escalate'; id: string; reason: string }
  | {
      action: 'reassign';
      id: string;
      reason: string;
      to: { unitKind: TaskView['owner']['unitKind']; unitCode: string };
    };

/** Urge, reassign or escalate; each request carries a key, so a retry changes nothing twice. */
export function useSupervise() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SuperviseInput & { key: string }) => {
      const path = { params: { path: { id: input.id } } };
      switch (input.action) {
        case 'urge':
          return api.POST('/api/tasks/{id}/urge', { ...path, body: { note: input.note, key: input.key } });
        case 'escalate':
          return api.POST('/api/tasks/{id}/escalate', {
            ...path,
            body: { reason: input.reason, key: input.key },
          });
        case 'reassign':
          return api.POST('/api/tasks/{id}/reassign', {
            ...path,
            body: { to: input.to, reason: input.reason, key: input.key },
          });
      }
    },
    onSuccess: () => client.invalidateQueries({ queryKey: [TASKS_KEY] }),
  });
}

import type { CountyTaskView } from '@fanzha/contracts';
import { countyLabel, isTaskOverdue, listCounties, type CountyTaskStatus } from '@fanzha/domain';

/** The console's views of the queue, each a set of statuses. */
export const TASK_VIEWS = {
  live: ['issued', 'accepted', 'contacted'],
  answered: ['answered'],
  transferred: ['transferred'],
} as const satisfies Record<string, readonly CountyTaskStatus[]>;
export type TaskView = keyof typeof TASK_VIEWS;

/** Overdue now: the server flags it when it answers, but an open console must turn red at the deadline. */
export function isOverdueAt(task: CountyTaskView, now: Date): boolean {
  return (
    task.isOverdue ||
    isTaskOverdue(
      { status: task.status, acceptDueAt: new Date(task.acceptDueAt), dueAt: new Date(task.dueAt) },
      now,
    )
  );
}

/** Counties to pick from ('贵阳市南明区'), optionally without one (a task is not transferred to itself). */
export function countyOptions(except?: string | null): { value: string; label: string }[] {
  return listCounties()
    .filter((c) => c.code !== except)
    .map((c) => ({ value: c.code, label: `${countyLabel(c.code) ?? c.name} ${c.code}` }));
}

/** A county's name as staff write it, or the code when this build does not know it. */
export const countyName = (code: string | null | undefined, fallback?: string | null) =>
  code ? (countyLabel(code) ?? fallback ?? code) : '—';

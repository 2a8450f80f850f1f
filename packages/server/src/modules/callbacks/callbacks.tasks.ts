import type { TaskReport } from '@fanzha/contracts';
import { addWorkingDays, callbackKindNamesZh, callbackOutcomeNamesZh, type Clock } from '@fanzha/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import type { CallbackRow } from './callbacks.repository';

const centre = { unitKind: 'centre' as const, unitCode: 'centre', userId: null };

/** Days a complaint from a callback gives the centre to answer it (督办). */
export const COMPLAINT_WORKING_DAYS = 2;

const subjectOf = (r: Pick<CallbackRow, 'report_number' | 'episode_id'>) =>
  r.report_number ? `报案 ${r.report_number}` : `预警事件 ${r.episode_id?.slice(0, 8) ?? ''}`;

type TaskFacts = Pick<
  CallbackRow,
  | 'id'
  | 'kind'
  | 'report_id'
  | 'report_number'
  | 'episode_id'
  | 'status'
  | 'created_at'
  | 'due_at'
  | 'closed_at'
>;

/** The supervision queue's copy of a callback: open while it is, done once it closed. */
export function callbackTask(r: TaskFacts, feedback: string | null): TaskReport {
  return {
    kind: 'callback',
    sourceId: r.id,
    title: `${callbackKindNamesZh[r.kind]} · ${subjectOf(r)}`,
    reportId: r.report_id,
    owner: centre,
    openedAt: r.created_at.toISOString(),
    dueAt: r.due_at?.toISOString() ?? null,
    status: r.status === 'open' ? 'open' : r.status === 'cancelled' ? 'cancelled' : 'done',
    doneAt: r.closed_at?.toISOString() ?? null,
    feedback,
  };
}

/** A complaint or a low satisfaction on a callback: a supervision item of its own, due in 2 working days. */
export function complaintTask(r: TaskFacts, satisfaction: number | null, complaint: string | null, at: Date) {
  const said = [satisfaction !== null ? `满意度 ${satisfaction}` : null, complaint ? '有投诉' : null]
    .filter(Boolean)
    .join('，');
  return {
    kind: 'complaint',
    sourceId: r.id,
    title: `回访投诉/不满意 · ${subjectOf(r)}（${said}）`,
    reportId: r.report_id,
    owner: centre,
    openedAt: at.toISOString(),
    dueAt: addWorkingDays(at, COMPLAINT_WORKING_DAYS).toISOString(),
    status: 'open',
    doneAt: null,
    feedback: null,
  } satisfies TaskReport;
}

export const attemptFeedback = (outcome: keyof typeof callbackOutcomeNamesZh, satisfaction: number | null) =>
  satisfaction === null
    ? callbackOutcomeNamesZh[outcome]
    : `${callbackOutcomeNamesZh[outcome]}，满意度 ${satisfaction}`;

export const publishTasks = (trx: Transaction<DB>, clock: Clock, tasks: TaskReport[]) =>
  enqueue(trx, ...tasks.map((task) => newEvent('task.reported', { task }, clock)));

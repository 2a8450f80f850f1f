import type { TaskAction, TaskView } from '@fanzha/contracts';
import type { TaskActionRow, TaskRow } from './tasks.repository';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const isOverdueRow = (row: Pick<TaskRow, 'status' | 'due_at'>, now: Date) =>
  row.status === 'open' && row.due_at !== null && row.due_at.getTime() < now.getTime();

export function toTaskView(row: TaskRow, now: Date): TaskView {
  return {
    id: row.id,
    kind: row.kind as TaskView['kind'],
    sourceId: row.source_id,
    title: row.title,
    reportId: row.report_id,
    owner: { unitKind: row.owner_unit_kind, unitCode: row.owner_unit_code, userId: row.owner_user_id },
    openedAt: row.opened_at.toISOString(),
    dueAt: iso(row.due_at),
    status: row.status,
    doneAt: iso(row.done_at),
    feedback: row.feedback,
    isOverdue: isOverdueRow(row, now),
    urgeCount: row.urge_count,
    lastUrgedAt: iso(row.last_urged_at),
    lastUrgedBy: row.last_urged_by,
    lastUrgeNote: row.last_urge_note,
    escalationLevel: row.escalation_level,
    escalatedAt: iso(row.escalated_at),
    isReassigned: row.is_reassigned,
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toTaskAction(row: TaskActionRow): TaskAction {
  return {
    id: row.id,
    action: row.action,
    at: row.at.toISOString(),
    by: row.by_username,
    note: row.note,
    fromOwner: row.from_owner,
    toOwner: row.to_owner,
    level: row.level,
  };
}

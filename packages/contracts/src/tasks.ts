import { z } from 'zod';
import { datetime, day } from './instant';

/**
 * Every instruction the centre gives is a task (指令) with one owner, a deadline and a feedback, so that the
 * supervisor's queue (督办) can show all of them at once. The kinds, as they exist or arrive.
 */
export const taskKinds = [
  'stop-payment',
  'freeze',
  'return',
  'county-task',
  'warning',
  'visit',
  'carrier-request',
  'callback',
  'complaint',
  'campaign',
  'countermeasure',
  'investigation',
  'two-cards',
  'appeal',
  'two-card-instruction',
] as const;
export const TaskKind = z.enum(taskKinds).meta({ id: 'TaskKind' });
export type TaskKind = z.infer<typeof TaskKind>;

/** Who answers for a task: a unit (the centre, a county's police, a bank, an operator) and, when known, one person. */
export const TaskOwner = z
  .object({
    unitKind: z.enum(['centre', 'county', 'bank', 'operator']),
    /** GB/T 2260 code for a county, the bank's or operator's code, `centre` for the centre itself. */
    unitCode: z.string().min(1).max(64),
    /** The user who holds it, when one person does. */
    userId: z.string().nullable(),
  })
  .meta({ id: 'TaskOwner' });
export type TaskOwner = z.infer<typeof TaskOwner>;

/**
 * What a module that gives instructions tells the supervision queue about one of them, each time it is made
 * or changes: published as `task.reported` in the same transaction as the change (through the outbox).
 * `(kind, sourceId)` names the task; a later report replaces an earlier one.
 */
export const TaskReport = z
  .object({
    kind: TaskKind,
    /** The id of the instruction in its own module (a callback's id, a campaign's id, …). */
    sourceId: z.string().min(1).max(64),
    /** One line a supervisor reads in the queue, in Chinese. */
    title: z.string().min(1).max(200),
    reportId: z.uuid().nullable(),
    owner: TaskOwner,
    openedAt: datetime,
    dueAt: datetime.nullable(),
    status: z.enum(['open', 'done', 'cancelled']),
    doneAt: datetime.nullable(),
    /** The owner's answer (反馈), once there is one. */
    feedback: z.string().max(2000).nullable(),
  })
  .meta({ id: 'TaskReport' });
export type TaskReport = z.infer<typeof TaskReport>;

declare module '@fanzha/domain' {
  interface EventMap {
    /** A module made or changed one of its instructions: the supervision queue keeps its copy current. */
    'task.reported': { task: TaskReport };
  }
}

/** The three supervision actions (督办): urge (催办), reassign (改派), escalate (上报指挥长). */
export const taskActionKinds = ['urge', 'reassign', 'escalate'] as const;
export const TaskActionKind = z.enum(taskActionKinds).meta({ id: 'TaskActionKind' });

/** One supervision action on a task, as its history shows it. */
export const TaskAction = z
  .object({
    id: z.uuid(),
    action: TaskActionKind,
    at: datetime,
    by: z.string().describe('The supervisor (username)'),
    note: z.string().describe('The urge’s note, or the reason of a reassignment or escalation'),
    fromOwner: TaskOwner.nullable().describe('A reassignment: who held it'),
    toOwner: TaskOwner.nullable().describe('A reassignment: who holds it now'),
    level: z.number().int().nullable().describe('An escalation: the level it reached (1: the commander)'),
  })
  .meta({ id: 'TaskAction' });
export type TaskAction = z.infer<typeof TaskAction>;

/** A task in the supervision queue: what its module reported, and the supervision on it. */
export const TaskView = TaskReport.extend({
  id: z.uuid(),
  isOverdue: z.boolean().describe('Open and past its deadline'),
  urgeCount: z.number().int(),
  lastUrgedAt: datetime.nullable(),
  lastUrgedBy: z.string().nullable(),
  lastUrgeNote: z.string().nullable(),
  escalationLevel: z.number().int().describe('0: not escalated; 1: escalated to the commander'),
  escalatedAt: datetime.nullable(),
  isReassigned: z.boolean().describe('The supervisor moved it to another owner'),
  updatedAt: datetime,
}).meta({ id: 'Task' });
export type TaskView = z.infer<typeof TaskView>;

export const TaskDetail = TaskView.extend({ history: z.array(TaskAction) }).meta({ id: 'TaskDetail' });
export type TaskDetail = z.infer<typeof TaskDetail>;

export const TaskList = z
  .object({ tasks: z.array(TaskView), total: z.number().int(), offset: z.number().int() })
  .meta({ id: 'TaskList' });
export type TaskList = z.infer<typeof TaskList>;

export const TaskQuery = z.strictObject({
  kind: TaskKind.optional(),
  unitKind: TaskOwner.shape.unitKind.optional(),
  unitCode: z.string().min(1).max(64).optional(),
  status: z
    .enum(['open', 'done', 'cancelled', 'all'])
    .default('open')
    .describe('Default: the open tasks, the queue’s work; all: every status'),
  overdue: z.enum(['true', 'false']).optional().describe('true: open and past the deadline only'),
  reportId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type TaskQuery = z.infer<typeof TaskQuery>;

const key = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/)
  .optional()
  .describe('A retry with the same key changes nothing and answers the task as it stands');
const reason = z.string().trim().min(2).max(500);

export const UrgeTaskRequest = z
  .strictObject({ note: reason.describe('What the owner is urged to do (催办意见)'), key })
  .meta({ id: 'UrgeTaskRequest' });
export type UrgeTaskRequest = z.infer<typeof UrgeTaskRequest>;

export const ReassignTaskRequest = z
  .strictObject({
    to: z.strictObject({
      unitKind: TaskOwner.shape.unitKind,
      unitCode: z.string().trim().min(1).max(64),
      userId: z.uuid().nullable().optional(),
    }),
    reason,
    key,
  })
  .meta({ id: 'ReassignTaskRequest' });
export type ReassignTaskRequest = z.infer<typeof ReassignTaskRequest>;

export const EscalateTaskRequest = z
  .strictObject({ reason: reason.describe('Why the commander must act (上报理由)'), key })
  .meta({ id: 'EscalateTaskRequest' });
export type EscalateTaskRequest = z.infer<typeof EscalateTaskRequest>;

export const TaskLeagueQuery = z.strictObject({
  unitKind: z.enum(['county', 'bank', 'operator']),
  period: z.enum(['week', 'month']),
  at: day.optional().describe('A day (China time) in the period; default today'),
});
export type TaskLeagueQuery = z.infer<typeof TaskLeagueQuery>;

/** One unit's line in the league: the tasks due in the period and how they were done. */
export const TaskLeagueRow = z
  .object({
    unitCode: z.string(),
    due: z.number().int().describe('Tasks due in the period'),
    doneOnTime: z.number().int().describe('Of those, done by their deadline'),
    onTimeRate: z.number().nullable().describe('doneOnTime / due; null when none was due'),
    medianDoneS: z.number().nullable().describe('Median seconds from opened to done, of those done'),
    overdueOpen: z.number().int().describe('Open and past the deadline now, whenever due'),
  })
  .meta({ id: 'TaskLeagueRow' });
export type TaskLeagueRow = z.infer<typeof TaskLeagueRow>;

export const TaskLeague = z
  .object({
    unitKind: z.enum(['county', 'bank', 'operator']),
    period: z.enum(['week', 'month']),
    from: datetime,
    to: datetime,
    units: z.array(TaskLeagueRow),
  })
  .meta({ id: 'TaskLeague' });
export type TaskLeague = z.infer<typeof TaskLeague>;

declare module '@fanzha/domain' {
  interface EventMap {
    /** The supervisor urged a task (催办): its owner's console shows it live. */
    'task.urged': { task: TaskView; note: string };
    /** The supervisor moved a task to another owner. */
    'task.reassigned': { task: TaskView; reason: string };
    /** The supervisor escalated a task to the commander. */
    'task.escalated': { task: TaskView; reason: string };
  }
}

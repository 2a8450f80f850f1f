import { z } from 'zod';

const datetime = z.iso.datetime({ offset: true });

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

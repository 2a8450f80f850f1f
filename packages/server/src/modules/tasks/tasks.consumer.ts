import type { Clock, EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { latestPerTask, tasksOf, TASK_SUBJECTS, type MappedTask } from './task.mapping';
import { taskRepository as repo, type ReportedColumns } from './tasks.repository';

export const TASKS_CONSUMER = 'tasks';
const MAX_BATCH = 500;

export interface TasksConsumerDeps {
  db: Kysely<DB>;
  clock: Clock;
}

export function reportedColumns(m: MappedTask, at: Date): ReportedColumns {
  const r = m.report;
  return {
    kind: r.kind,
    source_id: r.sourceId,
    title: r.title,
    report_id: r.reportId,
    owner_unit_kind: r.owner.unitKind,
    owner_unit_code: r.owner.unitCode,
    owner_user_id: r.owner.userId,
    opened_at: r.openedAt,
    due_at: r.dueAt,
    status: r.status,
    done_at: r.doneAt,
    feedback: r.feedback,
    source_at: m.occurredAt,
    updated_at: at,
  };
}

/**
 * Brings the queue up to date with a batch of events in one transaction. Idempotent: a redelivered event
 * writes what is already there, and an event older than the task's last report changes nothing.
 */
export async function applyTaskEvents(deps: TasksConsumerDeps, events: EventEnvelope[]): Promise<void> {
  const mapped = latestPerTask(events.flatMap(tasksOf));
  if (mapped.length === 0) return;
  const at = deps.clock.now();
  const creating = mapped.filter((m) => !m.isUpdateOnly);
  const ending = mapped.filter((m) => m.isUpdateOnly);
  await deps.db.transaction().execute(async (trx) => {
    await repo.upsert(
      trx,
      creating.map((m) => ({ id: randomUUID(), ...reportedColumns(m, at) })),
    );
    for (const m of ending) await repo.updateOnly(trx, reportedColumns(m, at));
  });
}

/** The queue's consumer (worker role): one durable consumer group taking batches of instruction events. */
export function startTasksConsumer(deps: TasksConsumerDeps & { bus: Bus }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: TASKS_CONSUMER, subjects: [...TASK_SUBJECTS], maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyTaskEvents(deps, events),
  );
}

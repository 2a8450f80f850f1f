import { randomUUID } from 'node:crypto';
import { COUNTY_ACCEPT_WITHIN_MS, COUNTY_ANSWER_WITHIN_MS, type Clock } from '@fanzha/domain';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import { loadTaskViews } from '../case/index';
import { countyTaskRepository as repo } from './county-tasks.repository';

type Trx = Transaction<DB>;

/**
 * What a county hand-off asks of the reports module, which owns `report`. The reports module imports this
 * one (it hands each submitted report over), so these reach county-tasks as functions, not as an import.
 */
export interface ReportHandOff {
  /** Each report routed to the police of a county, which owns it from now on. */
  route(trx: Trx, reports: Array<{ reportId: string; countyCode: string }>, at: Date): Promise<void>;
  /** A routed report accepted by its county. */
  accept(trx: Trx, reportId: string, at: Date): Promise<void>;
  /** The report its county answered for (反馈): closed. */
  close(trx: Trx, reportId: string, at: Date): Promise<void>;
}

/**
 * Hands reports to the police of each victim's county of residence (属地推送), in the caller's transaction:
 * a task with deadlines, the report routed to (and owned by) that county. `transferredFrom` links a task
 * moved on from another county.
 */
export async function issueTasks(
  trx: Trx,
  clock: Clock,
  reports: Array<{ reportId: string; countyCode: string; transferredFrom?: string }>,
  now: Date,
  handOff: Pick<ReportHandOff, 'route'>,
): Promise<string[]> {
  if (reports.length === 0) return [];
  const rows = reports.map((r) => ({
    id: randomUUID(),
    report_id: r.reportId,
    county_code: r.countyCode,
    status: 'issued' as const,
    issued_at: now,
    accept_due_at: new Date(now.getTime() + COUNTY_ACCEPT_WITHIN_MS),
    due_at: new Date(now.getTime() + COUNTY_ANSWER_WITHIN_MS),
    transferred_from_id: r.transferredFrom ?? null,
    updated_at: now,
  }));
  await repo.insert(trx, rows);
  await handOff.route(
    trx,
    reports.map((r) => ({ reportId: r.reportId, countyCode: r.countyCode })),
    now,
  );
  await emitTasks(
    trx,
    clock,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => r.id);
}

export async function emitTasks(trx: Trx, clock: Clock, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const views = await loadTaskViews(trx, await repo.byIds(trx, ids), now);
  await enqueue(trx, ...views.map((task) => newEvent('county-task.changed', { task }, clock)));
}

/** What the legal timers' sweep changes in county tasks when their deadlines pass. */
export const countyTaskDeadlines = { markOverdue: repo.markOverdue, emit: emitTasks };

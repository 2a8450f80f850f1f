import { randomUUID } from 'node:crypto';
import { COUNTY_ACCEPT_WITHIN_MS, COUNTY_ANSWER_WITHIN_MS, type Clock } from '@fanzha/domain';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import { loadTaskViews } from '../case/index';

/**
 * Hands submitted reports to the police of each victim's county of residence (属地推送), in the
 * submission's transaction: a task with deadlines, the report `routed` and owned by that county.
 * `transferredFrom` links a task moved on from another county.
 */
export async function issueCountyTasks(
  trx: Transaction<DB>,
  clock: Clock,
  reports: Array<{ reportId: string; countyCode: string; transferredFrom?: string }>,
  now: Date,
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
  await trx.insertInto('county_task').values(rows).execute();
  // One statement for a whole intake batch.
  await sql`
    update report set status = 'routed', owning_county_code = t.county_code, updated_at = ${now}
    from county_task t
    where t.id in (${sql.join(rows.map((r) => r.id))}) and report.id = t.report_id`.execute(trx);
  await emitTasks(
    trx,
    clock,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => r.id);
}

export async function emitTasks(trx: Transaction<DB>, clock: Clock, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const rows = await trx.selectFrom('county_task').selectAll().where('id', 'in', ids).execute();
  const views = await loadTaskViews(trx, rows, now);
  await enqueue(trx, ...views.map((task) => newEvent('county-task.changed', { task }, clock)));
}

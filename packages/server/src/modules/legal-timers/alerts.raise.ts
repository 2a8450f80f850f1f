import { randomUUID } from 'node:crypto';
import type { AlertView } from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AlertTable, DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import { usernames } from '../case/index';

type Db = Kysely<DB> | Transaction<DB>;
export type AlertSpec = Omit<
  Selectable<AlertTable>,
  'id' | 'raised_at' | 'acknowledged_at' | 'acknowledged_by'
>;

export async function alertViews(db: Db, rows: Array<Selectable<AlertTable>>): Promise<AlertView[]> {
  if (rows.length === 0) return [];
  const [reports, names] = await Promise.all([
    db
      .selectFrom('report')
      .select(['id', 'number'])
      .where('id', 'in', [...new Set(rows.map((r) => r.report_id))])
      .execute(),
    usernames(
      db,
      rows.map((r) => r.acknowledged_by),
    ),
  ]);
  const numbers = new Map(reports.map((r) => [r.id, r.number]));
  return rows.map((a) => ({
    id: a.id,
    kind: a.kind,
    threshold: a.threshold,
    level: a.level,
    objectType: a.object_type,
    objectId: a.object_id,
    reportId: a.report_id,
    reportNumber: numbers.get(a.report_id) ?? '',
    countyCode: a.county_code,
    message: a.message,
    dueAt: a.due_at?.toISOString() ?? null,
    raisedAt: a.raised_at.toISOString(),
    acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: a.acknowledged_by ? (names.get(a.acknowledged_by) ?? '') : null,
  }));
}

/**
 * Raises alerts once each (kind, object, threshold): a second sweep, or a second worker, raising the
 * same one changes nothing. Returns how many were new.
 */
export async function raiseAlerts(
  trx: Transaction<DB>,
  clock: Clock,
  specs: AlertSpec[],
  now: Date,
): Promise<number> {
  if (specs.length === 0) return 0;
  const inserted = await trx
    .insertInto('alert')
    .values(specs.map((s) => ({ ...s, id: randomUUID(), raised_at: now })))
    .onConflict((oc) => oc.columns(['kind', 'object_id', 'threshold']).doNothing())
    .returningAll()
    .execute();
  const views = await alertViews(trx, inserted);
  if (views.length > 0)
    await enqueue(trx, ...views.map((alert) => newEvent('alert.raised', { alert }, clock)));
  return inserted.length;
}

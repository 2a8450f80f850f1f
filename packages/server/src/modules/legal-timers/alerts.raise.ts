import type { AlertView } from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import { usernames } from '../case/index';
import { legalTimerRepository as repo, type AlertRow, type AlertSpec } from './legal-timers.repository';

type Db = Kysely<DB> | Transaction<DB>;
export type { AlertSpec };

export async function alertViews(db: Db, rows: AlertRow[]): Promise<AlertView[]> {
  if (rows.length === 0) return [];
  const [numbers, names] = await Promise.all([
    repo.reportNumbers(
      db,
      rows.flatMap((r) => (r.report_id === null ? [] : [r.report_id])),
    ),
    usernames(
      db,
      rows.map((r) => r.acknowledged_by),
    ),
  ]);
  return rows.map((a) => ({
    id: a.id,
    kind: a.kind,
    threshold: a.threshold,
    level: a.level,
    objectType: a.object_type,
    objectId: a.object_id,
    reportId: a.report_id,
    reportNumber: (a.report_id !== null && numbers.get(a.report_id)) || '',
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
  const inserted = await repo.insertAlerts(trx, specs, now);
  const views = await alertViews(trx, inserted);
  if (views.length > 0)
    await enqueue(trx, ...views.map((alert) => newEvent('alert.raised', { alert }, clock)));
  return inserted.length;
}

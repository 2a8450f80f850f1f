import type { AlertView } from '@fanzha/contracts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { AppError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { isAlertFor } from '../case/index';
import { alertViews } from './alerts.raise';
import { legalTimerRepository as repo } from './legal-timers.repository';

type Ctx = AuditContext & { actor: Actor };

export function createAlertsService(deps: { db: Kysely<DB> }) {
  const { db } = deps;
  return {
    /** The alerts the actor is responsible for, newest first. */
    async list(actor: Actor, q: { isOpen: boolean; limit: number }): Promise<AlertView[]> {
      const rows = await repo.listAlerts(db, {
        isOpen: q.isOpen,
        limit: q.limit,
        ...(actor.role === 'county_police' ? { countyCode: actor.countyCode ?? '-' } : {}),
        ...(actor.role === 'stop_payment_officer' ? { kinds: ['stop_lapsing', 'stop_lapsed'] } : {}),
      });
      return (await alertViews(db, rows)).filter((a) => isAlertFor(actor, a));
    },

    async acknowledge(ctx: Ctx, id: string): Promise<AlertView> {
      return db.transaction().execute(async (trx) => {
        const [row] = await repo.lockAlerts(trx, [id]);
        if (!row || !isAlertFor(ctx.actor, { kind: row.kind, countyCode: row.county_code }))
          throw new AppError('not_found', 'No such alert');
        if (row.acknowledged_at) return (await alertViews(trx, [row]))[0]!; // already seen: no change
        const [updated] = await repo.acknowledge(trx, [id], ctx.actor.userId, ctx.at);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'alert.acknowledge',
            objectType: 'alert',
            objectId: id,
            result: 'success',
          }),
        );
        return (await alertViews(trx, [updated!]))[0]!;
      });
    },

    /**
     * Several alerts seen at once, in one transaction: all or nothing. An id the actor may not see is
     * answered as unknown, as for one alert, so the answer does not tell which alerts exist elsewhere.
     * Alerts already acknowledged keep who and when; only the newly acknowledged are audited.
     */
    async acknowledgeMany(ctx: Ctx, ids: readonly string[]): Promise<AlertView[]> {
      return db.transaction().execute(async (trx) => {
        const rows = await repo.lockAlerts(trx, [...ids]);
        const byId = new Map(
          rows
            .filter((r) => isAlertFor(ctx.actor, { kind: r.kind, countyCode: r.county_code }))
            .map((r) => [r.id, r]),
        );
        const unknown = ids.flatMap((id, index) =>
          byId.has(id) ? [] : [{ field: `body.ids.${index}`, reason: 'not_found', message: 'no such alert' }],
        );
        if (unknown.length > 0) throw new AppError('not_found', 'No such alert', unknown);
        const open = ids.filter((id) => byId.get(id)?.acknowledged_at === null);
        if (open.length > 0) {
          const updated = await repo.acknowledge(trx, open, ctx.actor.userId, ctx.at);
          for (const row of updated) byId.set(row.id, row);
          await appendAudit(
            trx,
            ...open.map((id) =>
              auditEntry(ctx, {
                action: 'alert.acknowledge',
                objectType: 'alert',
                objectId: id,
                result: 'success',
              }),
            ),
          );
        }
        return alertViews(
          trx,
          ids.map((id) => byId.get(id)!),
        );
      });
    },
  };
}
export type AlertsService = ReturnType<typeof createAlertsService>;

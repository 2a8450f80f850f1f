import type { Clock } from '@fanzha/domain';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { isStateChanging } from '../../platform/http/policy';
import { isSafeText } from '../../platform/http/strict-input';
import { appendAudit } from './audit.repository';

/**
 * Successful changes are audited by their services, in the same transaction. This hook adds the
 * attempts that changed nothing: a state-changing request refused (401/403) or failed (4xx/5xx).
 * Routes whose services already audit their own failures (sign-in) are left to them.
 */
export function installFailureAudit(
  app: FastifyInstance,
  deps: { db: Kysely<DB>; clock: Clock; log: { error(o: unknown, m?: string): void } },
) {
  const selfAudited = new Set(['auth.sign_in', 'auth.totp']);
  app.addHook('onResponse', async (req, reply) => {
    const action = req.routeOptions.config.action;
    if (!action || !isStateChanging(req.method) || reply.statusCode < 400 || selfAudited.has(action)) return;
    // A request refused by a rate limit did nothing: an entry for each would let a flood write the trail.
    if (reply.statusCode === 429) return;
    const status = reply.statusCode;
    // The id in the path is the caller's text: a refused NUL in it must not lose the entry of the refusal.
    const id = (req.params as { id?: unknown } | undefined)?.id;
    const objectId = typeof id === 'string' && isSafeText(id) ? id.slice(0, 100) : null;
    await appendAudit(deps.db, {
      at: deps.clock.now(),
      userId: req.actor?.userId ?? null,
      username: req.actor?.username ?? null,
      role: req.actor?.auditRole ?? req.actor?.role ?? null,
      action,
      objectType: null,
      objectId,
      result: status === 401 || status === 403 ? 'denied' : 'failure',
      requestId: req.id,
      clientAddress: req.ip,
      details: { status, method: req.method, url: req.url.split('?')[0] },
    }).catch((err: unknown) =>
      deps.log.error({ err }, 'could not write the audit entry of a failed request'),
    );
  });
}

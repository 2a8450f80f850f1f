import {
  CreateSignalKeyRequest,
  CreatedSignalKey,
  EmptyBody,
  ErrorBody,
  IdParams,
  SignalKeyList,
  SignalKeyView,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import { actorOf } from '../../platform/http/policy';
import { createSignalKeysService } from './signal-keys.service';

const adminOnly = { access: 'roles', roles: ['admin'] } as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function signalKeyRoutes(deps: {
  db: Kysely<DB>;
  clock: Clock;
  webhookAllow: readonly string[];
}): FastifyPluginAsyncZod {
  const keys = createSignalKeysService({ db: deps.db, webhookAllow: deps.webhookAllow });
  return async (app) => {
    app.get(
      '/api/integrations/signal-keys',
      {
        config: { policy: adminOnly },
        schema: {
          tags: ['integrations'],
          summary: "Operators' and upstream centres' signal keys",
          response: { 200: SignalKeyList, ...errors },
        },
      },
      async () => ({ keys: await keys.list() }),
    );
    app.post(
      '/api/integrations/signal-keys',
      {
        config: { policy: adminOnly, action: 'integration.create_signal_key' },
        schema: {
          tags: ['integrations'],
          summary: "Create a key for an operator's or an upstream centre's signal system (shown once)",
          description:
            "The key is a credential on its sender's signals endpoint (`POST /api/operator/signals` or " +
            "`POST /api/upstream/signals`) and, for an operator's key, on what that operator answers for, as its " +
            'liaison would: its carrier assist requests, countermeasures and two-cards instructions, and ' +
            '`POST /api/indicators/reassigned`; anywhere else it is no credential (401). Every batch it sends is ' +
            "screened as that sender's: the operator or centre is never taken from a batch. `webhookUrl` (an " +
            "operator's key only): where the centre POSTs a signed notice whenever something awaits the operator; " +
            'https to a public address unless its origin is in `FANZHA_WEBHOOK_ALLOW`.',
          body: CreateSignalKeyRequest,
          response: { 201: CreatedSignalKey, ...errors },
        },
      },
      async (req, reply) => {
        const ctx = { at: deps.clock.now(), requestId: req.id, actor: actorOf(req) };
        return reply.status(201).send(await keys.create(ctx, req.body));
      },
    );
    app.post(
      '/api/integrations/signal-keys/:id/revoke',
      {
        config: { policy: adminOnly, action: 'integration.revoke_signal_key' },
        schema: {
          tags: ['integrations'],
          summary: 'Revoke a signal key',
          description:
            'At once: the key opens nothing more and its webhook gets no more notices. Revoking it again changes ' +
            'nothing (`revokedAt` stays the first).',
          params: IdParams,
          body: EmptyBody,
          response: { 200: SignalKeyView, ...errors },
        },
      },
      async (req) =>
        keys.revoke({ at: deps.clock.now(), requestId: req.id, actor: actorOf(req) }, req.params.id),
    );
  };
}

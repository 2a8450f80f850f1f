import {
  BankKeyList,
  BankKeyView,
  CreateBankKeyRequest,
  CreatedBankKey,
  EmptyBody,
  ErrorBody,
  IdParams,
} from '@fanzha/contracts';
import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DB } from '../../db/schema';
import { actorOf } from '../../platform/http/policy';
import { createBankKeysService } from './bank-keys.service';

const adminOnly = { access: 'roles', roles: ['admin'] } as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function bankKeyRoutes(deps: {
  db: Kysely<DB>;
  clock: Clock;
  webhookAllow: readonly string[];
}): FastifyPluginAsyncZod {
  const keys = createBankKeysService({ db: deps.db, webhookAllow: deps.webhookAllow });
  return async (app) => {
    app.get(
      '/api/integrations/bank-keys',
      {
        config: { policy: adminOnly },
        schema: {
          tags: ['integrations'],
          summary: 'Bank integration keys',
          response: { 200: BankKeyList, ...errors },
        },
      },
      async () => ({ keys: await keys.list() }),
    );
    app.post(
      '/api/integrations/bank-keys',
      {
        config: { policy: adminOnly, action: 'integration.create_key' },
        schema: {
          tags: ['integrations'],
          summary: "Create a key for a bank's system (shown once)",
          body: CreateBankKeyRequest,
          response: { 201: CreatedBankKey, ...errors },
        },
      },
      async (req, reply) => {
        const ctx = { at: deps.clock.now(), requestId: req.id, actor: actorOf(req) };
        return reply.status(201).send(await keys.create(ctx, req.body));
      },
    );
    app.post(
      '/api/integrations/bank-keys/:id/revoke',
      {
        config: { policy: adminOnly, action: 'integration.revoke_key' },
        schema: {
          tags: ['integrations'],
          summary: 'Revoke a key',
          description:
            'At once: the key opens nothing more, its parsed answer-signing key is forgotten and its webhook gets ' +
            'no more notices. Revoking it again changes nothing (`revokedAt` stays the first).',
          params: IdParams,
          body: EmptyBody,
          response: { 200: BankKeyView, ...errors },
        },
      },
      async (req) =>
        keys.revoke({ at: deps.clock.now(), requestId: req.id, actor: actorOf(req) }, req.params.id),
    );
  };
}

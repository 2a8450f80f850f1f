import { createPublicKey, randomUUID } from 'node:crypto';
import type { FieldProblem } from '@fanzha/contracts';
import {
  BankKeyList,
  BankKeyView,
  CreateBankKeyRequest,
  CreatedBankKey,
  EmptyBody,
  ErrorBody,
  IdParams,
} from '@fanzha/contracts';
import { findBankByCode, type Clock } from '@fanzha/domain';
import type { Kysely, Selectable } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiKeyTable, DB } from '../../db/schema';
import { forgetPublicKey } from '../../platform/crypto/signer';
import { newToken, tokenHash } from '../../platform/crypto/tokens';
import { AppError, validationError } from '../../platform/http/errors';
import { actorOf } from '../../platform/http/policy';
import { appendAudit, auditEntry } from '../audit/index';
import type { Actor } from '../../platform/actor';
import { webhookUrlProblem } from './webhook-target';

/**
 * Keys for banks' own systems: each is bound to one bank and acts as that bank's liaison on the bank
 * API only. Only the hash is stored; a revoked key stops working at once.
 */
export const KEY_PREFIX = 'fzk_';

function isEd25519PublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

const toView = (k: Selectable<ApiKeyTable>): BankKeyView => ({
  id: k.id,
  name: k.name,
  bankCode: k.bank_code,
  publicKeyPem: k.public_key_pem,
  webhookUrl: k.webhook_url,
  createdAt: k.created_at.toISOString(),
  revokedAt: k.revoked_at?.toISOString() ?? null,
});

export async function authenticateBankKey(db: Kysely<DB>, key: string): Promise<Actor | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const row = await db
    .selectFrom('api_key')
    .selectAll()
    .where('key_hash', '=', tokenHash(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const far = new Date(8.64e15);
  return {
    userId: row.id,
    username: `key:${row.name}`,
    displayName: row.name,
    role: 'bank_liaison',
    bankCode: row.bank_code,
    operatorCode: null,
    countyCode: null,
    isDemo: false,
    sessionIdHash: '',
    idleExpiresAt: far,
    expiresAt: far,
    answerKeyPem: row.public_key_pem,
  };
}

const adminOnly = { access: 'roles', roles: ['admin'] } as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function bankKeyRoutes(deps: {
  db: Kysely<DB>;
  clock: Clock;
  webhookAllow: readonly string[];
}): FastifyPluginAsyncZod {
  const { db } = deps;
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
      async () => ({
        keys: (await db.selectFrom('api_key').selectAll().orderBy('created_at').execute()).map(toView),
      }),
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
        const problems: FieldProblem[] = [];
        if (!findBankByCode(req.body.bankCode))
          problems.push({
            field: 'body.bankCode',
            reason: 'unknown_bank',
            message: `no bank has the code ${req.body.bankCode}`,
          });
        if (!isEd25519PublicKey(req.body.publicKeyPem))
          problems.push({
            field: 'body.publicKeyPem',
            reason: 'not_ed25519',
            message: 'must be an Ed25519 public key in SPKI PEM form',
          });
        const hook = req.body.webhookUrl
          ? webhookUrlProblem(req.body.webhookUrl, deps.webhookAllow)
          : undefined;
        if (hook) problems.push({ field: 'body.webhookUrl', reason: hook.reason, message: hook.message });
        if (problems.length > 0) throw validationError(problems);
        const key = `${KEY_PREFIX}${newToken()}`;
        const now = deps.clock.now();
        const ctx = { at: now, requestId: req.id, actor: actorOf(req) };
        const row = await db.transaction().execute(async (trx) => {
          const created = await trx
            .insertInto('api_key')
            .values({
              id: randomUUID(),
              key_hash: tokenHash(key),
              name: req.body.name,
              bank_code: req.body.bankCode,
              public_key_pem: req.body.publicKeyPem.trim(),
              webhook_url: req.body.webhookUrl ?? null,
              created_at: now,
              created_by: ctx.actor.userId,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await appendAudit(
            trx,
            auditEntry(ctx, {
              action: 'integration.create_key',
              objectType: 'api_key',
              objectId: created.id,
              result: 'success',
              details: { bankCode: created.bank_code, name: created.name },
            }),
          );
          return created;
        });
        return reply.status(201).send({ ...toView(row), key });
      },
    );
    app.post(
      '/api/integrations/bank-keys/:id/revoke',
      {
        config: { policy: adminOnly, action: 'integration.revoke_key' },
        schema: {
          tags: ['integrations'],
          summary: 'Revoke a key',
          params: IdParams,
          body: EmptyBody,
          response: { 200: BankKeyView, ...errors },
        },
      },
      async (req) => {
        const now = deps.clock.now();
        const ctx = { at: now, requestId: req.id, actor: actorOf(req) };
        return db.transaction().execute(async (trx) => {
          const row = await trx
            .updateTable('api_key')
            .set({ revoked_at: now })
            .where('id', '=', req.params.id)
            .returningAll()
            .executeTakeFirst();
          if (!row) throw new AppError('not_found', 'No such key');
          // The parsed key goes with it (another process drops its copy the same way, or never uses it again:
          // a revoked key no longer authenticates).
          forgetPublicKey(row.public_key_pem);
          await appendAudit(
            trx,
            auditEntry(ctx, {
              action: 'integration.revoke_key',
              objectType: 'api_key',
              objectId: row.id,
              result: 'success',
            }),
          );
          return toView(row);
        });
      },
    );
  };
}

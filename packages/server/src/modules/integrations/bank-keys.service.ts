import { randomUUID } from 'node:crypto';
import type { BankKeyView, CreateBankKeyRequest, CreatedBankKey, FieldProblem } from '@fanzha/contracts';
import type { z } from 'zod';
import { findBankByCode } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { forgetPublicKey } from '../../platform/crypto/signer';
import type { Actor } from '../../platform/actor';
import { newToken, tokenHash } from '../../platform/crypto/tokens';
import { AppError, validationError } from '../../platform/http/errors';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import {
  findActiveKeyByHash,
  insertKey,
  isKeyActive,
  listKeyRows,
  revokeKey,
  type BankKeyRow,
} from './bank-keys.repository';
import { publicKeyProblem } from './public-key';
import { webhookUrlProblem } from './webhook-target';

/**
 * Keys for banks' own systems: each is bound to one bank and acts as that bank's liaison on the bank
 * API only. Only the hash is stored; a revoked key stops working at once.
 */
export const KEY_PREFIX = 'fzk_';

type CreateBankKey = z.infer<typeof CreateBankKeyRequest>;

const toView = (k: BankKeyRow): BankKeyView => ({
  id: k.id,
  name: k.name,
  bankCode: k.bank_code,
  publicKeyPem: k.public_key_pem,
  webhookUrl: k.webhook_url,
  createdAt: k.created_at.toISOString(),
  revokedAt: k.revoked_at?.toISOString() ?? null,
});

/** The actor a bank's key stands for, while it is not revoked. */
export async function authenticateBankKey(db: Kysely<DB>, key: string): Promise<Actor | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const row = await findActiveKeyByHash(db, tokenHash(key));
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

/** Whether a bank key still stands (long-lived streams opened with it ask this). */
export const isBankKeyActive = (db: Kysely<DB>, id: string): Promise<boolean> => isKeyActive(db, id);

export function createBankKeysService(deps: { db: Kysely<DB>; webhookAllow: readonly string[] }) {
  const { db } = deps;

  function problemsOf(input: CreateBankKey): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (!findBankByCode(input.bankCode))
      problems.push({
        field: 'body.bankCode',
        reason: 'unknown_bank',
        message: `no bank has the code ${input.bankCode}`,
      });
    const key = publicKeyProblem(input.publicKeyPem);
    if (key) problems.push(key);
    const hook = input.webhookUrl ? webhookUrlProblem(input.webhookUrl, deps.webhookAllow) : undefined;
    if (hook) problems.push({ field: 'body.webhookUrl', reason: hook.reason, message: hook.message });
    return problems;
  }

  return {
    async list(): Promise<BankKeyView[]> {
      return (await listKeyRows(db)).map(toView);
    },

    /** A new key, shown in this answer only. */
    async create(ctx: AuditContext & { actor: Actor }, input: CreateBankKey): Promise<CreatedBankKey> {
      const problems = problemsOf(input);
      if (problems.length > 0) throw validationError(problems);
      const key = `${KEY_PREFIX}${newToken()}`;
      const row = await db.transaction().execute(async (trx) => {
        const created = await insertKey(trx, {
          id: randomUUID(),
          keyHash: tokenHash(key),
          name: input.name,
          bankCode: input.bankCode,
          publicKeyPem: input.publicKeyPem.trim(),
          webhookUrl: input.webhookUrl ?? null,
          createdAt: ctx.at,
          createdBy: ctx.actor.userId,
        });
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
      return { ...toView(row), key };
    },

    /** Revokes a key at once; revoking it again changes nothing (its revocation time stays the first). */
    async revoke(ctx: AuditContext, id: string): Promise<BankKeyView> {
      return db.transaction().execute(async (trx) => {
        const revoked = await revokeKey(trx, id, ctx.at);
        if (!revoked) throw new AppError('not_found', 'No such key');
        const { row, changed } = revoked;
        if (!changed) return toView(row);
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
  };
}
export type BankKeysService = ReturnType<typeof createBankKeysService>;

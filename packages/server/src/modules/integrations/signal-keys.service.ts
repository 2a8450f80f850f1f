import { randomUUID } from 'node:crypto';
import type {
  CreateSignalKeyRequest,
  CreatedSignalKey,
  FieldProblem,
  SignalKeyView,
  SignalSender,
} from '@fanzha/contracts';
import type { Operator } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { forgetPublicKey } from '../../platform/crypto/signer';
import { newToken, tokenHash } from '../../platform/crypto/tokens';
import { AppError, validationError } from '../../platform/http/errors';
import { routesOpenedBySignalKey, signalKeyRoles } from '../../platform/http/policy';
import { appendAudit, auditEntry, type AuditContext } from '../audit/index';
import { publicKeyProblem } from './public-key';
import { webhookUrlProblem } from './webhook-target';
import {
  findActiveSignalKeyByHash,
  insertSignalKey,
  listSignalKeyRows,
  revokeSignalKey,
  type SignalKeyRow,
} from './signal-keys.repository';

/**
 * Keys for the systems that send signals without being a bank: an operator's or an upstream centre's.
 * Each is bound to one sender and is a credential on the routes `routesOpenedBySignalKey` lists for it (its
 * signals endpoint and, for an operator, what it answers for) — anywhere else it is no credential at all (401)
 * — so it can never read what the centre holds. Only the hash is stored; a revoked key stops working at once.
 */
export const SIGNAL_KEY_PREFIX = 'fzs_';

/** The signals route of each kind of signal key. */
export const signalKeyEndpoints = {
  operator: '/api/operator/signals',
  upstream: '/api/upstream/signals',
} as const satisfies Record<SignalSender['kind'], string>;

const senderOf = (k: SignalKeyRow): SignalSender =>
  k.sender_kind === 'operator'
    ? { kind: 'operator', operator: k.sender_code as Operator }
    : { kind: 'upstream', centre: k.sender_code };

const toView = (k: SignalKeyRow): SignalKeyView => ({
  id: k.id,
  name: k.name,
  sender: senderOf(k),
  publicKeyPem: k.public_key_pem,
  webhookUrl: k.webhook_url,
  createdAt: k.created_at.toISOString(),
  revokedAt: k.revoked_at?.toISOString() ?? null,
});

/**
 * The actor a signal key stands for on `route`, while the key is not revoked and opens that route
 * (`routesOpenedBySignalKey`): on any other route, none. It acts in its sender's role (`signalKeyRoles`): an
 * operator's system as that operator's telecom liaison, an upstream centre's as an analyst would, while its
 * audit entries name it `upstream_centre`, with the key and its source.
 */
export async function authenticateSignalKey(
  db: Kysely<DB>,
  key: string,
  route: string | undefined,
): Promise<Actor | undefined> {
  if (!key.startsWith(SIGNAL_KEY_PREFIX)) return undefined;
  const row = await findActiveSignalKeyByHash(db, tokenHash(key));
  if (!row || !route || !routesOpenedBySignalKey[row.sender_kind].includes(route)) return undefined;
  const far = new Date(8.64e15);
  const isOperator = row.sender_kind === 'operator';
  return {
    userId: row.id,
    username: `key:${row.name}`,
    displayName: row.name,
    role: signalKeyRoles[row.sender_kind],
    bankCode: null,
    operatorCode: isOperator ? (row.sender_code as Operator) : null,
    countyCode: null,
    isDemo: false,
    sessionIdHash: '',
    idleExpiresAt: far,
    expiresAt: far,
    answerKeyPem: row.public_key_pem,
    signalSource: `${row.sender_kind}:${row.sender_code}`,
    ...(isOperator ? {} : { auditRole: 'upstream_centre' }),
  };
}

/** What is wrong with a new signal key's request, by field: its public key, and a webhook it may not have. */
function problemsOf(input: CreateSignalKeyRequest, webhookAllow: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const key = publicKeyProblem(input.publicKeyPem);
  if (key) problems.push(key);
  if (input.webhookUrl !== undefined) {
    const hook =
      input.sender.kind === 'operator'
        ? webhookUrlProblem(input.webhookUrl, webhookAllow)
        : {
            reason: 'not_for_sender',
            message: 'only an operator’s key has a webhook: nothing awaits a centre',
          };
    if (hook) problems.push({ field: 'body.webhookUrl', reason: hook.reason, message: hook.message });
  }
  return problems;
}

export function createSignalKeysService(deps: { db: Kysely<DB>; webhookAllow: readonly string[] }) {
  const { db } = deps;
  return {
    async list(): Promise<SignalKeyView[]> {
      return (await listSignalKeyRows(db)).map(toView);
    },

    /** A new key, shown in this answer only. */
    async create(
      ctx: AuditContext & { actor: Actor },
      input: CreateSignalKeyRequest,
    ): Promise<CreatedSignalKey> {
      const problems = problemsOf(input, deps.webhookAllow);
      if (problems.length > 0) throw validationError(problems);
      const key = `${SIGNAL_KEY_PREFIX}${newToken()}`;
      const sender = input.sender;
      const senderCode = sender.kind === 'operator' ? sender.operator : sender.centre;
      const row = await db.transaction().execute(async (trx) => {
        const created = await insertSignalKey(trx, {
          id: randomUUID(),
          keyHash: tokenHash(key),
          name: input.name,
          senderKind: sender.kind,
          senderCode,
          publicKeyPem: input.publicKeyPem.trim(),
          webhookUrl: input.webhookUrl ?? null,
          createdAt: ctx.at,
          createdBy: ctx.actor.userId,
        });
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'integration.create_signal_key',
            objectType: 'signal_key',
            objectId: created.id,
            result: 'success',
            details: {
              source: `${sender.kind}:${senderCode}`,
              name: created.name,
              webhookUrl: created.webhook_url,
            },
          }),
        );
        return created;
      });
      return { ...toView(row), key };
    },

    /** Revokes a key at once; revoking it again changes nothing (its revocation time stays the first). */
    async revoke(ctx: AuditContext, id: string): Promise<SignalKeyView> {
      return db.transaction().execute(async (trx) => {
        const revoked = await revokeSignalKey(trx, id, ctx.at);
        if (!revoked) throw new AppError('not_found', 'No such key');
        const { row, changed } = revoked;
        if (!changed) return toView(row);
        forgetPublicKey(row.public_key_pem);
        await appendAudit(
          trx,
          auditEntry(ctx, {
            action: 'integration.revoke_signal_key',
            objectType: 'signal_key',
            objectId: row.id,
            result: 'success',
          }),
        );
        return toView(row);
      });
    },
  };
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** The columns a key's view and its actor are built from (never the key's hash). */
const keyColumns = [
  'id',
  'name',
  'sender_kind',
  'sender_code',
  'public_key_pem',
  'webhook_url',
  'created_at',
  'revoked_at',
] as const;

export interface SignalKeyRow {
  id: string;
  name: string;
  sender_kind: 'operator' | 'upstream';
  sender_code: string;
  public_key_pem: string;
  webhook_url: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

export function listSignalKeyRows(db: Db): Promise<SignalKeyRow[]> {
  return db.selectFrom('signal_key').select(keyColumns).orderBy('created_at').execute();
}

export function insertSignalKey(
  db: Db,
  key: {
    id: string;
    keyHash: string;
    name: string;
    senderKind: 'operator' | 'upstream';
    senderCode: string;
    publicKeyPem: string;
    webhookUrl: string | null;
    createdAt: Date;
    createdBy: string;
  },
): Promise<SignalKeyRow> {
  return db
    .insertInto('signal_key')
    .values({
      id: key.id,
      key_hash: key.keyHash,
      name: key.name,
      sender_kind: key.senderKind,
      sender_code: key.senderCode,
      public_key_pem: key.publicKeyPem,
      webhook_url: key.webhookUrl,
      created_at: key.createdAt,
      created_by: key.createdBy,
    })
    .returning(keyColumns)
    .executeTakeFirstOrThrow();
}

/**
 * Marks an active key revoked, and answers it with `changed: true`; a key revoked already is answered as it is
 * (its revocation time kept) with `changed: false`; undefined when there is no such key.
 */
export async function revokeSignalKey(
  db: Db,
  id: string,
  at: Date,
): Promise<{ row: SignalKeyRow; changed: boolean } | undefined> {
  const revoked = await db
    .updateTable('signal_key')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(keyColumns)
    .executeTakeFirst();
  if (revoked) return { row: revoked, changed: true };
  const row = await db.selectFrom('signal_key').select(keyColumns).where('id', '=', id).executeTakeFirst();
  return row && { row, changed: false };
}

export function findActiveSignalKeyByHash(db: Db, keyHash: string): Promise<SignalKeyRow | undefined> {
  return db
    .selectFrom('signal_key')
    .select(keyColumns)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** The webhook of an active signal key, if it has one. */
export async function webhookOfSignalKey(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('signal_key')
    .select('webhook_url')
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.webhook_url ?? undefined;
}

/** The active keys of an operator that have a webhook. */
export async function webhooksOfOperator(
  db: Db,
  operator: string,
): Promise<Array<{ id: string; url: string }>> {
  const rows = await db
    .selectFrom('signal_key')
    .select(['id', 'webhook_url'])
    .where('sender_kind', '=', 'operator')
    .where('sender_code', '=', operator)
    .where('revoked_at', 'is', null)
    .where('webhook_url', 'is not', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, url: r.webhook_url! }));
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** The columns a key's view and its actor are built from (never the key's hash). */
const keyColumns = [
  'id',
  'name',
  'bank_code',
  'public_key_pem',
  'webhook_url',
  'created_at',
  'revoked_at',
] as const;

export interface BankKeyRow {
  id: string;
  name: string;
  bank_code: string;
  public_key_pem: string;
  webhook_url: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

export function listKeyRows(db: Db): Promise<BankKeyRow[]> {
  return db.selectFrom('api_key').select(keyColumns).orderBy('created_at').execute();
}

export function insertKey(
  db: Db,
  key: {
    id: string;
    keyHash: string;
    name: string;
    bankCode: string;
    publicKeyPem: string;
    webhookUrl: string | null;
    createdAt: Date;
    createdBy: string;
  },
): Promise<BankKeyRow> {
  return db
    .insertInto('api_key')
    .values({
      id: key.id,
      key_hash: key.keyHash,
      name: key.name,
      bank_code: key.bankCode,
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
export async function revokeKey(
  db: Db,
  id: string,
  at: Date,
): Promise<{ row: BankKeyRow; changed: boolean } | undefined> {
  const revoked = await db
    .updateTable('api_key')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning(keyColumns)
    .executeTakeFirst();
  if (revoked) return { row: revoked, changed: true };
  const row = await db.selectFrom('api_key').select(keyColumns).where('id', '=', id).executeTakeFirst();
  return row && { row, changed: false };
}

export function findActiveKeyByHash(db: Db, keyHash: string): Promise<BankKeyRow | undefined> {
  return db
    .selectFrom('api_key')
    .select(keyColumns)
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Whether the key exists and is not revoked. */
export async function isKeyActive(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('api_key').select('revoked_at').where('id', '=', id).executeTakeFirst();
  return row !== undefined && row.revoked_at === null;
}

/** The active keys of a bank that have a webhook. */
export async function webhooksOfBank(db: Db, bankCode: string): Promise<Array<{ id: string; url: string }>> {
  return (await webhooksOfBanks(db, [bankCode])).get(bankCode) ?? [];
}

/** The active keys with a webhook of each of these banks, in one statement (a bank with none is absent). */
export async function webhooksOfBanks(
  db: Db,
  bankCodes: readonly string[],
): Promise<Map<string, Array<{ id: string; url: string }>>> {
  const hooks = new Map<string, Array<{ id: string; url: string }>>();
  if (bankCodes.length === 0) return hooks;
  const rows = await db
    .selectFrom('api_key')
    .select(['id', 'bank_code', 'webhook_url'])
    .where('bank_code', 'in', [...bankCodes])
    .where('revoked_at', 'is', null)
    .where('webhook_url', 'is not', null)
    .orderBy('created_at')
    .execute();
  for (const r of rows) {
    const list = hooks.get(r.bank_code) ?? [];
    list.push({ id: r.id, url: r.webhook_url! });
    hooks.set(r.bank_code, list);
  }
  return hooks;
}

/** The webhook of an active key, if it has one. */
export async function webhookOfKey(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('api_key')
    .select('webhook_url')
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.webhook_url ?? undefined;
}

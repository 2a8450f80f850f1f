import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Kysely, KyselyPlugin, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { sm4GcmOpen, sm4GcmSeal } from './sm4-gcm';

/**
 * Personal data at rest (MLPS level 3): the victim's name, ID number, phone and address and the names of
 * account holders are encrypted field by field with AES-256-GCM or SM4-GCM (FANZHA_CRYPTO) under versioned data
 * keys (DEKs). Each DEK is kept in `data_key`, wrapped in its own family by a key derived from the server's secret
 * key (HKDF-SHA256 and AES-256-GCM, or HKDF-SM3 and SM4-GCM; its own label), so a copy of the database alone
 * reveals nothing. A stored value describes itself:
 *
 *     fz1.<cipher>.<key version>.<nonce>.<tag>.<ciphertext>      (binary parts base64url)
 *
 * The associated data binds the header and the value's place (table, column and the row's key), so a value
 * copied to another column or row fails to decrypt. Equality look-ups go through blind indexes: a truncated
 * HMAC-SHA256 of the normalised value under its own derived key. Values written before encryption existed
 * carry 'plain:' in front (migrations 0011 and 0017; a jsonb document, its object form) until the start-up
 * backfill encrypts them.
 *
 * Only repositories call this (and the outbox: `enqueue` seals events, the relay and the replay open them):
 * services and routes see plain values.
 */

/**
 * The algorithms a value may name, recorded in every value and every data key: AES-256-GCM, or SM4-GCM
 * (GB/T 32907, 128-bit keys) under `FANZHA_CRYPTO=commercial`. Values of both are read side by side.
 */
export const fieldCipherIds = ['aes-256-gcm', 'sm4-gcm'] as const;
export type FieldCipherId = (typeof fieldCipherIds)[number];
const dekBytes: Record<FieldCipherId, number> = { 'aes-256-gcm': 32, 'sm4-gcm': 16 };

const format = 'fz1';
const plainMarker = 'plain:';

/**
 * The encrypted fields: per table, the columns that name a row (bound into each value, with their SQL type
 * for the rotation's updates) and the encrypted columns. A `json` column is a jsonb column holding a whole
 * document (a signed instruction, an event): its ciphertext is stored as a JSON string, and a value written
 * before it was encrypted is still the document itself (a JSON object) until the backfill or a rotation seals
 * it. What is sealed is the document's JSON text as written, so it opens to exactly that text.
 */
export const personalFields = {
  report: {
    rowKey: [['id', 'uuid']],
    // The narrative: the victim's account of the call, in their words (names, numbers, places).
    columns: ['victim_name', 'victim_id_number', 'victim_phone', 'victim_address', 'narrative'],
  },
  report_transfer: {
    rowKey: [
      ['report_id', 'uuid'],
      ['key', 'text'],
    ],
    // victim_account: the victim's own account the money left.
    columns: ['to_name', 'victim_account'],
  },
  // `instruction`: the signed emergency stop as sent (holder's name inside).
  stop_payment: { rowKey: [['id', 'uuid']], columns: ['account_name', 'instruction'], json: ['instruction'] },
  onward_transfer: {
    rowKey: [
      ['stop_payment_id', 'uuid'],
      ['position', 'integer'],
    ],
    columns: ['account_name'],
  },
  fund_decision: { rowKey: [['id', 'uuid']], columns: ['payee_name', 'victim_account'] },
  // Every signed instruction to a bank (holders' and payees' names inside), opened only to be served.
  bank_instruction: { rowKey: [['id', 'uuid']], columns: ['payload'], json: ['payload'] },
  // Events waiting for (and, until the retention prunes them, after) publication; opened by the relay and
  // the stream's replay.
  outbox: { rowKey: [['event_id', 'uuid']], columns: ['envelope'], json: ['envelope'] },
  episode: { rowKey: [['id', 'uuid']], columns: ['person_phone', 'person_id_number', 'person_name'] },
  // The person a callback (回访) calls, copied from its source; what they said in a complaint or note.
  callback: { rowKey: [['id', 'uuid']], columns: ['person_name', 'person_phone'] },
  callback_attempt: {
    rowKey: [
      ['callback_id', 'uuid'],
      ['n', 'integer'],
    ],
    columns: ['complaint', 'note'],
  },
  // The holder of cards sold or rented to gangs (两卡), found by the blind index of the ID number.
  two_card_holder: { rowKey: [['id', 'uuid']], columns: ['id_number'] },
  // A measure's signed instruction to a bank or an operator (the holder's ID number inside).
  two_card_instruction: { rowKey: [['id', 'uuid']], columns: ['instruction'], json: ['instruction'] },
  // An appeal (申诉): who filed it, how to call them back, what they said, and the value appealed.
  appeal: { rowKey: [['id', 'uuid']], columns: ['name', 'contact_phone', 'statement', 'subject_value'] },
} as const satisfies Record<
  string,
  {
    rowKey: ReadonlyArray<readonly [string, 'uuid' | 'text' | 'integer']>;
    columns: readonly string[];
    json?: readonly string[];
  }
>;

/** Whether a personal column is a jsonb document (see `personalFields`). */
export const isJsonColumn = (table: PersonalTable, column: string): boolean =>
  ((personalFields[table] as { json?: readonly string[] }).json ?? []).includes(column);
export type PersonalTable = keyof typeof personalFields;
export type PersonalColumn<T extends PersonalTable> = (typeof personalFields)[T]['columns'][number];

/** Columns looked up by equality, the column holding each one's blind index, and its normal form. */
export const blindIndexes: Partial<Record<string, { column: string; normalise: (value: string) => string }>> =
  {
    'report.victim_id_number': { column: 'victim_id_number_bidx', normalise: (v) => v.trim().toUpperCase() },
    // The national number: digits only, the last eleven (as a +86 or 0086 prefix may come with it).
    'report.victim_phone': { column: 'victim_phone_bidx', normalise: (v) => v.replace(/\D/g, '').slice(-11) },
    // The warned person's E.164 phone and ID number: one open episode per person, found by either.
    'episode.person_id_number': { column: 'person_id_number_bidx', normalise: (v) => v.trim().toUpperCase() },
    'episode.person_phone': { column: 'person_phone_bidx', normalise: (v) => v.replace(/\D/g, '') },
    'two_card_holder.id_number': { column: 'id_number_bidx', normalise: (v) => v.trim().toUpperCase() },
    // The appealed value in its normal form: one subject's appeals, found while sealed.
    'appeal.subject_value': { column: 'subject_bidx', normalise: (v) => v },
  };

interface DataKey {
  version: number;
  cipher: FieldCipherId;
  dek: Buffer;
  createdAt: Date;
  retiredAt: Date | null;
}

/** The keys of one deployment: derived once from the secret key, the data keys loaded from the database. */
export interface FieldKeys {
  /** The cipher of the data keys this process makes (the deployment's FANZHA_CRYPTO). */
  readonly cipher: FieldCipherId;
  /** Wraps AES-256-GCM data keys (AES-256-GCM, HKDF-SHA256) and SM4-GCM ones (SM4-GCM, HKDF-SM3). */
  readonly wrapKey: Buffer;
  readonly sm4WrapKey: Buffer;
  readonly indexKey: Buffer;
  readonly byVersion: Map<number, DataKey>;
  current: number;
  loadedAt: number;
}

/** How long a process writes under the data key it knows before looking for a newer one. */
const refreshMs = 60_000;

export function createFieldKeys(secretKey: Buffer, cipher: FieldCipherId = 'aes-256-gcm'): FieldKeys {
  if (secretKey.length !== 32) throw new Error('the secret key must be 32 bytes');
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), label, 32));
  return {
    cipher,
    wrapKey: derive('fanzha data key wrapping v1'),
    // A data key is wrapped in its own family: an SM4 key is protected by SM algorithms only (GB/T 39786).
    sm4WrapKey: Buffer.from(
      hkdfSync('sm3', secretKey, Buffer.alloc(0), 'fanzha data key wrapping v1 sm4-gcm', 16),
    ),
    indexKey: derive('fanzha blind index v1'),
    byVersion: new Map(),
    current: 0,
    loadedAt: 0,
  };
}

const b64 = (b: Buffer) => b.toString('base64url');

function gcmSeal(cipherId: FieldCipherId, key: Buffer, plain: Buffer, aad: Buffer) {
  const nonce = randomBytes(12);
  if (cipherId === 'sm4-gcm') return { nonce, ...sm4GcmSeal(key, nonce, plain, aad) };
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { nonce, tag: cipher.getAuthTag(), data };
}

function gcmOpen(
  cipherId: FieldCipherId,
  key: Buffer,
  nonce: Buffer,
  tag: Buffer,
  data: Buffer,
  aad: Buffer,
): Buffer {
  if (cipherId === 'sm4-gcm') return sm4GcmOpen(key, nonce, tag, data, aad);
  if (tag.length !== 16) throw new Error('AES-GCM tag must be 16 bytes');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

const isFieldCipherId = (v: string): v is FieldCipherId => (fieldCipherIds as readonly string[]).includes(v);

const wrapAad = (version: number, cipher: string) => Buffer.from(`fanzha data key\0${version}\0${cipher}`);

/** The wrapping key of a data key's family, and how the wrapped value says so. */
const wrapOf = (keys: FieldKeys, cipher: FieldCipherId) =>
  cipher === 'sm4-gcm' ? { key: keys.sm4WrapKey, tag: 'sm4v1' } : { key: keys.wrapKey, tag: 'v1' };

function wrap(keys: FieldKeys, version: number, cipher: FieldCipherId, dek: Buffer): string {
  const w = wrapOf(keys, cipher);
  const { nonce, tag, data } = gcmSeal(cipher, w.key, dek, wrapAad(version, cipher));
  return [w.tag, b64(nonce), b64(tag), b64(data)].join('.');
}

/**
 * The secret key cannot open this database (the key that wrapped its data keys is not the one given, or is
 * missing): a configuration problem, which stops a start before it takes work (exit status 2) — never
 * met by making a new key, which could open none of the data sealed under the old one.
 */
export class SecretKeyError extends Error {
  constructor(
    message: string,
    /** The data key that the key in use could not unwrap, when that is the problem. */
    readonly dataKeyVersion?: number,
  ) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

function unwrap(keys: FieldKeys, version: number, cipher: FieldCipherId, wrapped: string): Buffer {
  const w = wrapOf(keys, cipher);
  const [v, nonce, tag, data] = wrapped.split('.');
  if (v !== w.tag || !nonce || !tag || data === undefined)
    throw new Error(`data key ${version}: not wrapped`);
  try {
    return gcmOpen(
      cipher,
      w.key,
      Buffer.from(nonce, 'base64url'),
      Buffer.from(tag, 'base64url'),
      Buffer.from(data, 'base64url'),
      wrapAad(version, cipher),
    );
  } catch {
    throw new SecretKeyError(
      `The secret key in use (FANZHA_SECRET_KEY, or secret.key in the data folder) is not the key this database was written with: data key ${version} cannot be unwrapped with it, and no other key can open the personal data sealed under it. Set FANZHA_SECRET_KEY (embedded: or put secret.key back in the data folder, mode 600) to the key the database — or the backup it was restored from — was made with.`,
      version,
    );
  }
}

type Db = Kysely<DB> | Transaction<DB>;

/** Reads every data key (retired ones too: a backup or a straggler may still need them). */
export async function loadDataKeys(db: Db, keys: FieldKeys): Promise<void> {
  const rows = await db
    .selectFrom('data_key')
    .select(['version', 'cipher', 'wrapped', 'created_at', 'retired_at'])
    .execute();
  for (const r of rows) {
    const cipher = r.cipher;
    if (!isFieldCipherId(cipher))
      throw new Error(`data key ${r.version} uses ${r.cipher}, which this server does not know`);
    keys.byVersion.set(r.version, {
      version: r.version,
      cipher,
      dek: keys.byVersion.get(r.version)?.dek ?? unwrap(keys, r.version, cipher, r.wrapped),
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    });
  }
  keys.current = Math.max(0, ...rows.filter((r) => r.retired_at === null).map((r) => r.version));
  keys.loadedAt = Date.now();
}

/** Adds a new data key (of the configured cipher), which becomes the one values are written with. Returns its version. */
export async function addDataKey(db: Db, keys: FieldKeys, at: Date): Promise<number> {
  const last = await db
    .selectFrom('data_key')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  await db
    .insertInto('data_key')
    .values({
      version,
      cipher: keys.cipher,
      wrapped: wrap(keys, version, keys.cipher, randomBytes(dekBytes[keys.cipher])),
      created_at: at,
      retired_at: null,
    })
    // Two processes starting on an empty table: one key is made, both read it.
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
  await loadDataKeys(db, keys);
  return keys.current;
}

/**
 * Loads the data keys, making the first one on a database that has none — or a new one of the configured
 * cipher when the current key is of another (FANZHA_CRYPTO was switched): new values are written with the
 * new cipher at once, older ones stay readable under their keys until `fanzha keys rotate` moves them.
 */
export async function openFieldKeys(
  db: Db,
  keys: FieldKeys,
  at: Date,
  opts: { isSwitching?: boolean } = {},
): Promise<void> {
  await loadDataKeys(db, keys);
  const isOtherCipher = keys.byVersion.get(keys.current)?.cipher !== keys.cipher;
  if (keys.current === 0 || (isOtherCipher && opts.isSwitching !== false)) await addDataKey(db, keys, at);
}

/** Carries the keys with a database handle and every transaction opened from it (it changes no query). */
class FieldKeysCarrier implements KyselyPlugin {
  constructor(readonly keys: FieldKeys) {}
  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;
  transformResult: KyselyPlugin['transformResult'] = (args) => Promise.resolve(args.result);
}

/** The database handle whose repositories encrypt and decrypt personal fields with these keys. */
export const withFieldKeys = (db: Kysely<DB>, keys: FieldKeys): Kysely<DB> =>
  db.withPlugin(new FieldKeysCarrier(keys));

/** The keys a database handle (or a transaction opened from it) carries. */
export function fieldKeysOf(db: Db): FieldKeys {
  const keys = carriedFieldKeys(db);
  if (!keys) throw new Error('this database handle carries no field keys (withFieldKeys)');
  return keys;
}

/** The keys a handle carries, if any. */
export function carriedFieldKeys(db: Db): FieldKeys | undefined {
  const carrier = db.getExecutor().plugins.find((p) => p instanceof FieldKeysCarrier);
  return carrier instanceof FieldKeysCarrier ? carrier.keys : undefined;
}

/** A row's key as bound into its values: a uuid as PostgreSQL prints it (lower case), whoever wrote it. */
function rowKeyText(place: string, rowKey: readonly unknown[]): string {
  const table = place.slice(0, place.indexOf('.')) as PersonalTable;
  const types = personalFields[table]?.rowKey;
  if (!types || types.length !== rowKey.length) throw new Error(`${place}: not a personal field's row key`);
  return rowKey.map((k, i) => (types[i]![1] === 'uuid' ? String(k).toLowerCase() : String(k))).join('\0');
}
const aadOf = (cipher: string, version: number, place: string, rowKey: readonly unknown[]) =>
  Buffer.from(`${format}\0${cipher}\0${version}\0${place}\0${rowKeyText(place, rowKey)}`);

/** What a stored value is: pending plaintext, or a ciphertext under a key version. */
export function storedForm(stored: string): { plain: string } | { version: number } {
  // An empty value is a column's default (a narrative nobody wrote): nothing to protect or to open.
  if (stored === '') return { plain: '' };
  if (stored.startsWith(plainMarker)) return { plain: stored.slice(plainMarker.length) };
  const [f, , version] = stored.split('.');
  if (f !== format || !version || !/^\d+$/.test(version)) throw new Error('not an encrypted field value');
  return { version: Number(version) };
}

function sealWith(keys: FieldKeys, place: string, rowKey: readonly unknown[], plain: string): string {
  const key = keys.byVersion.get(keys.current);
  if (!key) throw new Error('no current data key: the field keys were not opened');
  const { nonce, tag, data } = gcmSeal(
    key.cipher,
    key.dek,
    Buffer.from(plain, 'utf8'),
    aadOf(key.cipher, key.version, place, rowKey),
  );
  return [format, key.cipher, key.version, b64(nonce), b64(tag), b64(data)].join('.');
}

function openWith(keys: FieldKeys, place: string, rowKey: readonly unknown[], stored: string): string {
  const form = storedForm(stored);
  if ('plain' in form) return form.plain;
  const [, cipher, , nonce, tag, data] = stored.split('.');
  const key = keys.byVersion.get(form.version);
  if (!key) throw new Error(`${place}: data key ${form.version} is unknown`);
  if (cipher !== key.cipher || !nonce || !tag || data === undefined)
    throw new Error(`${place}: not a value of data key ${form.version}`);
  try {
    return gcmOpen(
      key.cipher,
      key.dek,
      Buffer.from(nonce, 'base64url'),
      Buffer.from(tag, 'base64url'),
      Buffer.from(data, 'base64url'),
      aadOf(cipher, form.version, place, rowKey),
    ).toString('utf8');
  } catch {
    throw new Error(`${place}: the value does not belong to this row and column, or was altered`);
  }
}

function indexWith(keys: FieldKeys, place: string, plain: string): string {
  const spec = blindIndexes[place];
  if (!spec) throw new Error(`${place} has no blind index`);
  return createHmac('sha256', keys.indexKey)
    .update(`${place}\0${spec.normalise(plain)}`)
    .digest()
    .subarray(0, 16)
    .toString('hex');
}

/** Encryption, decryption and blind indexes of personal fields, with the keys a database handle carries. */
export interface FieldCipher {
  seal(place: string, rowKey: readonly unknown[], plain: string): string;
  open(place: string, rowKey: readonly unknown[], stored: string): string;
  blindIndex(place: string, plain: string): string;
  /** The row with its personal columns (those present) encrypted and their blind indexes set. */
  sealRow<T extends PersonalTable, R extends object>(table: T, row: R, rowKey?: readonly unknown[]): R;
  /** The row with its personal columns (those present) decrypted. */
  openRow<T extends PersonalTable, R extends object>(table: T, row: R, rowKey?: readonly unknown[]): R;
}

function rowKeyFrom(table: PersonalTable, row: object, given?: readonly unknown[]): unknown[] {
  if (given) return [...given];
  const r = row as Record<string, unknown>;
  return personalFields[table].rowKey.map(([c]) => {
    if (r[c] === undefined)
      throw new Error(`${table}: ${c} is needed to encrypt or decrypt its personal fields`);
    return r[c];
  });
}

function cipherWith(keys: FieldKeys): FieldCipher {
  const cipher: FieldCipher = {
    seal: (place, rowKey, plain) => sealWith(keys, place, rowKey, plain),
    open: (place, rowKey, stored) => openWith(keys, place, rowKey, stored),
    blindIndex: (place, plain) => indexWith(keys, place, plain),
    sealRow<T extends PersonalTable, R extends object>(table: T, row: R, rowKey?: readonly unknown[]): R {
      const r = row as Record<string, unknown>;
      const columns: readonly string[] = personalFields[table].columns;
      const present = columns.filter((c) => r[c] !== undefined);
      if (present.length === 0) return row;
      const key = rowKeyFrom(table, row, rowKey);
      const out: Record<string, unknown> = { ...r };
      for (const c of present) {
        const place = `${table}.${c}`;
        if (isJsonColumn(table, c)) {
          // The document (or its JSON text), sealed; written as the JSON text of a string, as jsonb takes it.
          const v = r[c];
          out[c] =
            v === null
              ? null
              : JSON.stringify(sealWith(keys, place, key, typeof v === 'string' ? v : JSON.stringify(v)));
          continue;
        }
        const v = r[c] as string | null;
        out[c] = v === null ? null : sealWith(keys, place, key, v);
        const index = blindIndexes[place];
        if (index) out[index.column] = v === null ? null : indexWith(keys, place, v);
      }
      return out as R;
    },
    openRow<T extends PersonalTable, R extends object>(table: T, row: R, rowKey?: readonly unknown[]): R {
      const r = row as Record<string, unknown>;
      const columns: readonly string[] = personalFields[table].columns;
      const present = columns.filter((c) => typeof r[c] === 'string');
      if (present.length === 0) return row;
      const key = rowKeyFrom(table, row, rowKey);
      const out: Record<string, unknown> = { ...r };
      for (const c of present) {
        const plain = openWith(keys, `${table}.${c}`, key, r[c] as string);
        // A document: a written one (not yet sealed) is read as the object it is; a sealed one, parsed.
        out[c] = isJsonColumn(table, c) ? (JSON.parse(plain) as unknown) : plain;
      }
      return out as R;
    },
  };
  return cipher;
}

/**
 * The cipher of a database handle (or a transaction opened from it), its keys fresh: a process picks up a
 * newer data key within a minute of a rotation making it.
 */
export async function fieldCipher(db: Db): Promise<FieldCipher> {
  const keys = fieldKeysOf(db);
  if (Date.now() - keys.loadedAt > refreshMs) await loadDataKeys(db, keys);
  return cipherWith(keys);
}

/**
 * The cipher, once the keys of every value in these rows are known: a value a rotation re-encrypted under a
 * key this process has not loaded yet makes it read the keys again.
 */
export async function fieldCipherFor(
  db: Db,
  table: PersonalTable,
  rows: ReadonlyArray<object | undefined>,
): Promise<FieldCipher> {
  const keys = fieldKeysOf(db);
  const columns: readonly string[] = personalFields[table].columns;
  const isUnknown = rows.some((row) =>
    columns.some((c) => {
      const v = (row as Record<string, unknown> | undefined)?.[c];
      if (typeof v !== 'string') return false;
      const form = storedForm(v);
      return 'version' in form && !keys.byVersion.has(form.version);
    }),
  );
  if (isUnknown || Date.now() - keys.loadedAt > refreshMs) await loadDataKeys(db, keys);
  return cipherWith(keys);
}

/** Decrypts the personal columns of rows read from a table (a repository's last step). */
export async function openRows<T extends object>(db: Db, table: PersonalTable, rows: T[]): Promise<T[]> {
  if (rows.length === 0) return rows;
  const cipher = await fieldCipherFor(db, table, rows);
  return rows.map((r) => cipher.openRow(table, r));
}

/** Decrypts one row, if any. */
export async function openRow<T extends object>(
  db: Db,
  table: PersonalTable,
  row: T | undefined,
): Promise<T | undefined> {
  return row && (await openRows(db, table, [row]))[0];
}

/** Encrypts the personal columns of rows about to be written. */
export async function sealRows<T extends object>(db: Db, table: PersonalTable, rows: T[]): Promise<T[]> {
  if (rows.length === 0) return rows;
  const cipher = await fieldCipher(db);
  return rows.map((r) => cipher.sealRow(table, r));
}

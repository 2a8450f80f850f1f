import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import {
  addDataKey,
  blindIndexes,
  fieldCipherFor,
  fieldKeysOf,
  isJsonColumn,
  loadDataKeys,
  personalFields,
  type PersonalTable,
} from './field-cipher';

/**
 * Re-encryption of personal fields in batches: the start-up backfill of values written before encryption
 * (marked 'plain:'), and a key rotation (every value not under the current data key). Each batch is one
 * transaction that rewrites a value only if it is still the one read, so it can run beside servers that
 * write; a pass that stops anywhere is resumed by running it again, and running it twice changes nothing
 * the first did not.
 */

export interface Progress {
  table: string;
  column: string;
  /** Values rewritten in this column so far. */
  done: number;
}

export interface PassOptions {
  batchSize?: number;
  onProgress?: (p: Progress) => void;
  /** Stops after this many batches (to take a pass in steps; the tests use it as an interruption). */
  maxBatches?: number;
}

type Places = Array<{ table: PersonalTable; column: string }>;
const places: Places = Object.entries(personalFields).flatMap(([table, spec]) =>
  (spec.columns as readonly string[]).map((column) => ({ table: table as PersonalTable, column })),
);

/**
 * A stored value as text, as the cipher reads it: a text column as it is; a jsonb document's ciphertext (a JSON
 * string) unquoted, and a document not yet sealed (an object) as 'plain:' and its JSON text.
 */
const storedText = (table: PersonalTable, column: string, ref: string = column) =>
  isJsonColumn(table, column)
    ? sql<string>`(case when jsonb_typeof(${sql.ref(ref)}) = 'string' then ${sql.ref(ref)} #>> '{}'
        else 'plain:' || (${sql.ref(ref)})::text end)`
    : sql<string>`${sql.ref(ref)}`;

/** A value that needs rewriting: pending plaintext, or (in a rotation) not under the current key. */
const needsWork = (table: PersonalTable, column: string, current: number | null) => {
  const v = storedText(table, column);
  return current === null
    ? sql<boolean>`${v} like 'plain:%'`
    : sql<boolean>`(${v} like 'plain:%' or split_part(${v}, '.', 3) <> ${String(current)})`;
};

/** Rewrites the values of one pass. Returns whether it finished (false: stopped by maxBatches). */
async function rewrite(db: Kysely<DB>, current: number | null, opts: PassOptions): Promise<boolean> {
  const batchSize = opts.batchSize ?? 500;
  let batches = 0;
  // Sealing what was written before encryption: a field once done has no such value again (every write
  // seals), so it is not scanned again; a rotation looks at every field.
  const sealed =
    current === null
      ? new Set((await db.selectFrom('field_seal_pass').select('place').execute()).map((r) => r.place))
      : new Set<string>();
  for (const { table, column } of places) {
    if (sealed.has(`${table}.${column}`)) continue;
    const spec = personalFields[table];
    const keyCols = spec.rowKey.map(([c]) => c);
    const index = blindIndexes[`${table}.${column}`];
    let after: unknown[] | null = null;
    let done = 0;
    for (;;) {
      if (opts.maxBatches !== undefined && batches >= opts.maxBatches) return false;
      const isLast: boolean = await db.transaction().execute(async (trx) => {
        // Keyset pages in the row key's order: each batch reads an index range, whatever the table's size.
        const rows = (
          await sql<Record<string, unknown>>`
            select ${sql.join(keyCols.map((c) => sql.ref(c)))}, ${storedText(table, column)} as value
            from ${sql.table(table)}
            where ${sql.ref(column)} is not null and ${storedText(table, column)} <> ''
              and ${needsWork(table, column, current)}
              ${after ? sql`and (${sql.join(keyCols.map((c) => sql.ref(c)))}) > (${sql.join(after)})` : sql``}
            order by ${sql.join(keyCols.map((c) => sql.ref(c)))}
            limit ${batchSize}`.execute(trx)
        ).rows;
        if (rows.length === 0) return true;
        const cipher = await fieldCipherFor(
          trx,
          table,
          rows.map((r) => ({ [column]: r.value })),
        );
        const place = `${table}.${column}`;
        const values = rows.map((r) => {
          const rowKey = keyCols.map((c) => r[c]);
          const plain = cipher.open(place, rowKey, r.value as string);
          return sql`(${sql.join(
            spec.rowKey.map(([c, type]) => sql`${r[c]}::${sql.raw(type)}`),
          )}, ${r.value}::text, ${cipher.seal(place, rowKey, plain)}::text, ${
            index ? cipher.blindIndex(place, plain) : null
          }::text)`;
        });
        // Only a value still as read is replaced: a server that changed it meanwhile wrote a current one.
        await sql`
          update ${sql.table(table)} as t
          set ${sql.ref(column)} = ${isJsonColumn(table, column) ? sql`to_jsonb(v.sealed)` : sql`v.sealed`}${
            index ? sql`, ${sql.ref(index.column)} = v.bidx` : sql``
          }
          from (values ${sql.join(values)}) as v(${sql.join(keyCols.map((c) => sql.ref(c)))}, old, sealed, bidx)
          where ${sql.join(
            keyCols.map((c) => sql`t.${sql.ref(c)} = v.${sql.ref(c)}`),
            sql` and `,
          )} and ${storedText(table, column, `t.${column}`)} = v.old`.execute(trx);
        const last = rows[rows.length - 1]!;
        after = keyCols.map((c) => last[c]);
        done += rows.length;
        return rows.length < batchSize;
      });
      batches += 1;
      if (done > 0) opts.onProgress?.({ table, column, done });
      if (isLast) break;
    }
    if (current === null)
      await db
        .insertInto('field_seal_pass')
        .values({ place: `${table}.${column}`, completed_at: new Date() })
        .onConflict((oc) => oc.column('place').doNothing())
        .execute();
  }
  return true;
}

/**
 * Encrypts the values written before encryption existed (run at start). A field finished once is listed
 * (`field_seal_pass`) and not read again: a start after the first costs one query, whatever the tables hold.
 */
export async function sealPlaintextFields(db: Kysely<DB>, opts: PassOptions = {}): Promise<void> {
  await rewrite(db, null, opts);
}

export interface KeyVersionStatus {
  version: number;
  cipher: string;
  isCurrent: boolean;
  createdAt: Date;
  retiredAt: Date | null;
  /** How many stored values this key still protects. */
  values: number;
}

export interface KeyStatus {
  versions: KeyVersionStatus[];
  /** Values written before encryption and not yet encrypted (the server encrypts them at start). */
  plaintext: number;
}

/** The data keys and how many values each protects. */
export async function fieldKeyStatus(db: Kysely<DB>): Promise<KeyStatus> {
  const keys = fieldKeysOf(db);
  await loadDataKeys(db, keys);
  const counts = new Map<string, number>();
  for (const { table, column } of places) {
    const rows = (
      await sql<{ form: string; n: number }>`
        select case when ${storedText(table, column)} like 'plain:%' then 'plain'
                    else split_part(${storedText(table, column)}, '.', 3) end as form,
               count(*)::int as n
        from ${sql.table(table)}
        where ${sql.ref(column)} is not null and ${storedText(table, column)} <> '' group by 1`.execute(db)
    ).rows;
    for (const r of rows) counts.set(r.form, (counts.get(r.form) ?? 0) + Number(r.n));
  }
  const versions = [...keys.byVersion.values()]
    .sort((a, b) => a.version - b.version)
    .map((k) => ({
      version: k.version,
      cipher: k.cipher,
      isCurrent: k.version === keys.current,
      createdAt: k.createdAt,
      retiredAt: k.retiredAt,
      values: counts.get(String(k.version)) ?? 0,
    }));
  return { versions, plaintext: counts.get('plain') ?? 0 };
}

export interface RotationResult {
  /** The data key every value is (or, unfinished, is being) re-encrypted under. */
  current: number;
  /** Whether a rotation left unfinished was taken up instead of starting a new key. */
  isResumed: boolean;
  isComplete: boolean;
  /** Versions retired by this run (no value uses them any more). */
  retired: number[];
}

/**
 * Rotates the data key: a new version becomes current (or, if an earlier rotation did not finish — an older
 * version not yet retired — that one is taken up again), every value is re-encrypted under it in batches,
 * then the older versions that protect nothing are retired. Servers keep reading every version meanwhile,
 * and start writing under the new one within a minute.
 */
export async function rotateFieldKeys(
  db: Kysely<DB>,
  at: Date,
  opts: PassOptions = {},
): Promise<RotationResult> {
  const keys = fieldKeysOf(db);
  await loadDataKeys(db, keys);
  const isResumed = [...keys.byVersion.values()].some(
    (k) => k.retiredAt === null && k.version !== keys.current,
  );
  // A rotation also moves every value to the configured cipher: a current key of another one is replaced.
  if (!isResumed || keys.byVersion.get(keys.current)?.cipher !== keys.cipher) await addDataKey(db, keys, at);
  const current = keys.current;
  const isComplete = await rewrite(db, current, opts);
  if (!isComplete) return { current, isResumed, isComplete, retired: [] };
  const status = await fieldKeyStatus(db);
  const idle = status.versions
    .filter((v) => v.version !== current && v.retiredAt === null && v.values === 0)
    .map((v) => v.version);
  if (idle.length > 0)
    await db.updateTable('data_key').set({ retired_at: at }).where('version', 'in', idle).execute();
  await loadDataKeys(db, keys);
  return { current, isResumed, isComplete: true, retired: idle };
}

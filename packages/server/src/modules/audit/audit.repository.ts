import type { AuditEntryView, AuditVerification } from '@fanzha/contracts';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AuditEntryTable, DB } from '../../db/schema';
import { whileAdvisoryXactLockTaken } from '../../db/advisory-lock';
import type { HashAlgorithm } from '../../platform/crypto/suites';
import { GENESIS, entryHash } from './audit-chain';

export interface AuditRecord {
  at: Date;
  userId?: string | null;
  username?: string | null;
  role?: string | null;
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  result: 'success' | 'failure' | 'denied';
  requestId?: string | null;
  clientAddress?: string | null;
  details?: Record<string, unknown>;
}

/** Every column of an entry: the chain covers them all. */
const entryColumns = [
  'id',
  'seq',
  'at',
  'user_id',
  'username',
  'role',
  'action',
  'object_type',
  'object_id',
  'result',
  'request_id',
  'details',
  'prev_hash',
  'hash',
  'client_address',
  'hash_alg',
] as const;

/** Appends entries. Call it inside the transaction of the change it records, so neither exists alone. */
export async function appendAudit(
  db: Kysely<DB> | Transaction<DB>,
  ...records: AuditRecord[]
): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto('audit_entry')
    .values(
      records.map((r) => ({
        at: r.at,
        user_id: r.userId ?? null,
        username: r.username ?? null,
        role: r.role ?? null,
        action: r.action,
        object_type: r.objectType ?? null,
        object_id: r.objectId ?? null,
        result: r.result,
        request_id: r.requestId ?? null,
        client_address: r.clientAddress ?? null,
        details: JSON.stringify(r.details ?? {}),
      })),
    )
    .execute();
}

const SEAL_LOCK = 7_340_001;

/**
 * Seals committed entries into the chain in the order they are found (chain order is seal order, so an
 * entry whose transaction commits late simply joins later). One sealer at a time, by advisory lock.
 * Returns how many entries were sealed.
 */
export async function sealAudit(
  db: Kysely<DB>,
  batchSize = 500,
  hashAlgorithm: HashAlgorithm = 'sha256',
): Promise<number> {
  // One look (the partial index of unsealed entries) before the transaction and its lock: the sealer runs
  // twice a second in every worker and usually finds nothing new.
  const unsealed = await db
    .selectFrom('audit_entry')
    .select('id')
    .where('seq', 'is', null)
    .limit(1)
    .execute();
  if (unsealed.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    // The lock and the batch in one statement: a sealer that finds the lock taken reads nothing.
    const rows = await trx
      .selectFrom('audit_entry')
      .select(entryColumns)
      .where('seq', 'is', null)
      .where(whileAdvisoryXactLockTaken(SEAL_LOCK))
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return 0;
    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
    let seq = head?.seq ?? 0;
    let prev = head?.hash ?? GENESIS;
    const sealed: Array<{ id: number; seq: number; prev: string; hash: string }> = [];
    for (const row of rows) {
      seq += 1;
      const hash = entryHash(prev, fieldsOf(row, seq), hashAlgorithm);
      sealed.push({ id: row.id, seq, prev, hash });
      prev = hash;
    }
    // One statement for the whole batch: sealing must not hold the (embedded, single) connection long.
    const values = sql.join(
      sealed.map((e) => sql`(${e.id}::bigint, ${e.seq}::bigint, ${e.prev}, ${e.hash})`),
    );
    await sql`
      update audit_entry as a set seq = v.seq, prev_hash = v.prev, hash = v.hash, hash_alg = ${hashAlgorithm}
      from (values ${values}) as v (id, seq, prev, hash)
      where a.id = v.id`.execute(trx);
    await trx
      .insertInto('audit_head')
      .values({ seq, hash: prev })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seq, hash: prev }))
      .execute();
    return rows.length;
  });
}

function fieldsOf(row: Selectable<AuditEntryTable>, seq: number) {
  return {
    seq,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    role: row.role,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    result: row.result,
    requestId: row.request_id,
    details: row.details,
    clientAddress: row.client_address,
  };
}

/**
 * Damage to stored pages or files (PostgreSQL's error class XX, and I/O errors): part of the trail is
 * unreadable, which is a broken trail. A lost connection or a missing grant is not, and stays an error.
 */
function isStorageDamage(err: unknown): err is Error {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && (code.startsWith('XX') || code === '58030');
}

/**
 * Walks the chain from the first entry: every seq present once and in order, each entry's prev_hash
 * equal to the previous hash, each hash recomputed from the entry — and the recorded head reached.
 * Only reads. An entry that cannot be read (a damaged page) breaks the trail there.
 */
export async function verifyAudit(db: Kysely<DB>, pageSize = 5000): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prev = GENESIS;
  let checked = 0;
  const broken = (seq: number, problem: string): AuditVerification => ({
    isIntact: false,
    checked,
    unsealed: 0,
    firstBroken: { seq, problem },
  });
  // After a page fails to read, entries are read one by one up to where it ended, to name the entry.
  let narrowUntil = 0;
  for (;;) {
    const size = expectedSeq < narrowUntil ? 1 : pageSize;
    let rows: Array<Selectable<AuditEntryTable>>;
    try {
      rows = await db
        .selectFrom('audit_entry')
        .select(entryColumns)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(size)
        .execute();
    } catch (err) {
      if (!isStorageDamage(err)) throw err;
      if (size > 1) {
        narrowUntil = expectedSeq + size;
        continue;
      }
      return broken(expectedSeq, `entry ${expectedSeq} cannot be read (damaged storage): ${err.message}`);
    }
    for (const row of rows) {
      const seq = row.seq!;
      if (seq !== expectedSeq)
        return broken(expectedSeq, `entry ${expectedSeq} is missing (next found is ${seq})`);
      if (row.prev_hash !== prev)
        return broken(seq, 'its link to the previous entry does not match (removed or reordered entries)');
      if (entryHash(prev, fieldsOf(row, seq), row.hash_alg ?? 'sha256') !== row.hash)
        return broken(seq, 'its content does not match its hash (edited)');
      prev = row.hash!;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < size) break;
  }
  try {
    const head = await db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
    if (head && (head.seq !== checked || head.hash !== prev)) {
      return broken(
        checked + 1,
        `the chain ends at ${checked} but its recorded head is entry ${head.seq} (entries removed from the end)`,
      );
    }
    if (!head && checked > 0) return broken(checked, 'the chain has entries but no recorded head');
  } catch (err) {
    if (!isStorageDamage(err)) throw err;
    return broken(checked + 1, `the chain's recorded head cannot be read (damaged storage): ${err.message}`);
  }
  try {
    const unsealed = await db
      .selectFrom('audit_entry')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow();
    return { isIntact: true, checked, unsealed: unsealed.n, firstBroken: null };
  } catch (err) {
    if (!isStorageDamage(err)) throw err;
    return broken(checked + 1, `entries not yet sealed cannot be read (damaged storage): ${err.message}`);
  }
}

export async function listAudit(
  db: Kysely<DB>,
  q: {
    limit: number;
    beforeSeq?: number | undefined;
    action?: string | undefined;
    username?: string | undefined;
  },
): Promise<AuditEntryView[]> {
  let query = db.selectFrom('audit_entry').select(entryColumns);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.username) query = query.where('username', '=', q.username);
  // Unsealed (newest) entries first, then the chain newest first.
  const rows = await query
    .orderBy(sql`seq is null`, 'desc')
    .orderBy('seq', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at.toISOString(),
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    result: r.result,
    requestId: r.request_id,
    clientAddress: r.client_address,
    details: r.details,
    hash: r.hash,
  }));
}

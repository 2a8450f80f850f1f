import type { SignatureAlgorithm } from '../../platform/crypto/suites';
import type { BankInstructionKind, BankInstructionStatus } from '@fanzha/domain';
import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { BankInstructionTable, DB } from '../../db/schema';
import { fieldCipher, openRow, openRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type BankInstructionRow = Selectable<BankInstructionTable>;

const instructionColumns = [
  'id',
  'kind',
  'bank_code',
  'seq',
  'pending',
  'report_id',
  'stop_payment_id',
  'episode_id',
  'payload',
  'signature',
  'key_id',
  'signature_alg',
  'status',
  'issued_at',
  'acknowledged_at',
  'deadline_at',
  'amount_fen',
  'executed_at',
  'bank_reference',
  'failure_reason',
  'note',
  'answered_at',
  'answered_by',
  'answer_key',
  'answer_hash',
  'updated_at',
] as const satisfies ReadonlyArray<keyof BankInstructionTable>;

export interface NewBankInstruction {
  id: string;
  kind: BankInstructionKind;
  bankCode: string;
  reportId: string | null;
  stopPaymentId: string | null;
  episodeId: string | null;
  payload: Record<string, unknown>;
  signature: string;
  keyId: string;
  algorithm: SignatureAlgorithm;
  issuedAt: Date;
  deadlineAt: Date | null;
}

export interface BankQueueQuery {
  statuses: BankInstructionStatus[] | 'all';
  kinds: BankInstructionKind[] | 'all';
  after: number | null;
  updatedSince: Date | null;
  limit: number;
}

/**
 * Takes the next `count` numbers of each bank's change feed. The feed rows stay locked to the end of the
 * transaction, so a later number is never visible before an earlier one: a bank polling `after` its last
 * number misses nothing. Banks are locked in code order (one statement, rows in that order), so two
 * transactions cannot deadlock on them.
 */
async function takeSequences(trx: Trx, counts: Map<string, number>): Promise<Map<string, number>> {
  const banks = [...counts.keys()].sort();
  if (banks.length === 0) return new Map();
  const rows = await trx
    .insertInto('bank_feed')
    .values(banks.map((b) => ({ bank_code: b, last_seq: counts.get(b)! })))
    .onConflict((oc) =>
      oc.column('bank_code').doUpdateSet((eb) => ({
        last_seq: eb('bank_feed.last_seq', '+', eb.ref('excluded.last_seq')),
      })),
    )
    .returning(['bank_code', 'last_seq'])
    .execute();
  // The first number of each bank's block.
  return new Map(rows.map((r) => [r.bank_code, Number(r.last_seq) - counts.get(r.bank_code)! + 1]));
}

/** Gives each change the next number of its bank's feed, in the order given, and marks it numbered. */
async function numberRows(
  trx: Trx,
  changes: Array<{ id: string; bankCode: string }>,
): Promise<BankInstructionRow[]> {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.bankCode, (counts.get(c.bankCode) ?? 0) + 1);
  const next = await takeSequences(trx, counts);
  const seqs = changes.map((c) => {
    const seq = next.get(c.bankCode)!;
    next.set(c.bankCode, seq + 1);
    return seq;
  });
  const numbered = await sql<BankInstructionRow>`
    update bank_instruction b set seq = v.seq, pending = false
    from unnest(${changes.map((c) => c.id)}::uuid[], ${seqs}::bigint[]) as v(id, seq)
    where b.id = v.id
    returning ${sql.join(instructionColumns.map((c) => sql.ref(`b.${c}`)))}`.execute(trx);
  return openRows(
    trx,
    'bank_instruction',
    [...numbered.rows].sort((a, b) => Number(a.seq) - Number(b.seq)),
  );
}

/**
 * The bank's queue, in SQL. A write marks the instruction `pending`; the writer numbers its own changes last
 * (`numberOwn`), so a bank's feed is locked only for a transaction's last statements and its commit, not from
 * its first write (answers naming the same banks used to wait for each other's whole transactions).
 * `numberPending` numbers what a writer left pending, should one not number its own. The signed document
 * (`payload`: holders' and payees' names) is stored sealed (`platform/crypto/field-cipher`): sealed here from
 * its JSON text as signed, opened on every read, so a bank is served the document exactly as signed.
 */
export const bankInstructionRepository = {
  async insert(trx: Trx, items: NewBankInstruction[]): Promise<BankInstructionRow[]> {
    if (items.length === 0) return [];
    const cipher = await fieldCipher(trx);
    const rows = await trx
      .insertInto('bank_instruction')
      .values(
        items.map((i) => ({
          id: i.id,
          kind: i.kind,
          bank_code: i.bankCode,
          seq: null,
          pending: true,
          report_id: i.reportId,
          stop_payment_id: i.stopPaymentId,
          episode_id: i.episodeId,
          payload: JSON.stringify(cipher.seal('bank_instruction.payload', [i.id], JSON.stringify(i.payload))),
          signature: i.signature,
          key_id: i.keyId,
          signature_alg: i.algorithm,
          status: 'sent' as const,
          issued_at: i.issuedAt,
          deadline_at: i.deadlineAt,
          updated_at: i.issuedAt,
        })),
      )
      .returning(instructionColumns)
      .execute();
    return openRows(trx, 'bank_instruction', rows);
  },

  /** Changes instructions (all of one patch) in one statement; each moves to the end of its feed when numbered. */
  async update(
    trx: Trx,
    ids: string[],
    patch: Omit<Updateable<BankInstructionTable>, 'seq' | 'id' | 'bank_code' | 'pending'>,
  ): Promise<BankInstructionRow[]> {
    if (ids.length === 0) return [];
    return trx
      .updateTable('bank_instruction')
      .set({ ...patch, pending: true })
      .where('id', 'in', ids)
      .returning(instructionColumns)
      .execute()
      .then((r) => openRows(trx, 'bank_instruction', r));
  },

  /**
   * Numbers up to `limit` committed pending changes, oldest first, at the end of their banks' feeds. Rows a
   * writer holds locked are skipped (that writer numbers them itself), so this never waits for a row while it
   * holds a feed; a writer holding a feed touches only its own rows: no lock cycle is possible.
   */
  async numberPending(trx: Trx, limit: number, bankCode?: string): Promise<BankInstructionRow[]> {
    let pending = trx.selectFrom('bank_instruction').select(['id', 'bank_code']).where('pending', '=', true);
    if (bankCode !== undefined) pending = pending.where('bank_code', '=', bankCode);
    const rows = await pending
      .orderBy('updated_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return [];
    return numberRows(
      trx,
      rows.map((r) => ({ id: r.id, bankCode: r.bank_code })),
    );
  },

  /**
   * Numbers this transaction's own changes at the end of their banks' feeds, in the order given. Called last in
   * the writer's transaction: the feed rows it locks are then the last locks it takes, held only through its
   * last statements, and it touches no row it has not already locked — so no lock cycle can form through a feed.
   */
  async numberOwn(trx: Trx, changes: Array<{ id: string; bankCode: string }>): Promise<BankInstructionRow[]> {
    if (changes.length === 0) return [];
    return numberRows(trx, changes);
  },

  /** Whether a bank has changes not yet numbered (a read of its feed numbers them first). */
  /** Whether a bank's feed (or, without a bank, any feed) has changes waiting for their number. */
  hasPending: async (db: Db, bankCode?: string): Promise<boolean> => {
    let q = db.selectFrom('bank_instruction').select('id').where('pending', '=', true);
    if (bankCode !== undefined) q = q.where('bank_code', '=', bankCode);
    return (await q.limit(1).executeTakeFirst()) !== undefined;
  },

  lock: (trx: Trx, id: string) =>
    trx
      .selectFrom('bank_instruction')
      .select(instructionColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
      .then((r) => openRow(trx, 'bank_instruction', r)),

  get: (db: Db, id: string) =>
    db
      .selectFrom('bank_instruction')
      .select(instructionColumns)
      .where('id', '=', id)
      .executeTakeFirst()
      .then((r) => openRow(db, 'bank_instruction', r)),

  byStop: (db: Db, stopPaymentIds: string[]) =>
    stopPaymentIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('bank_instruction')
          .select(instructionColumns)
          .where('stop_payment_id', 'in', stopPaymentIds)
          .orderBy('seq')
          .execute()
          .then((r) => openRows(db, 'bank_instruction', r)),

  byEpisode: (db: Db, episodeId: string) =>
    db
      .selectFrom('bank_instruction')
      .select(instructionColumns)
      .where('episode_id', '=', episodeId)
      .orderBy('issued_at')
      .execute()
      .then((r) => openRows(db, 'bank_instruction', r)),

  kindOf: (db: Db, id: string) =>
    db
      .selectFrom('bank_instruction')
      .select('kind')
      .where('id', '=', id)
      .executeTakeFirst()
      .then((r) => r?.kind),

  /** One page of a bank's feed, in feed order; one row more than asked tells whether more follow. */
  list(db: Db, bankCode: string, q: BankQueueQuery): Promise<BankInstructionRow[]> {
    let query = db
      .selectFrom('bank_instruction')
      .select(instructionColumns)
      .where('bank_code', '=', bankCode);
    if (q.statuses !== 'all') query = query.where('status', 'in', q.statuses);
    if (q.kinds !== 'all') query = query.where('kind', 'in', q.kinds);
    if (q.after !== null) query = query.where('seq', '>', q.after);
    else query = query.where('seq', 'is not', null);
    if (q.updatedSince) query = query.where('updated_at', '>=', q.updatedSince);
    return query
      .orderBy('seq')
      .limit(q.limit + 1)
      .execute()
      .then((r) => openRows(db, 'bank_instruction', r));
  },
};

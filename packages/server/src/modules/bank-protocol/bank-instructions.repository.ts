import type { SignatureAlgorithm } from '../../platform/crypto/suites';
import type { BankInstructionKind, BankInstructionStatus } from '@fanzha/domain';
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { BankInstructionTable, DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type BankInstructionRow = Selectable<BankInstructionTable>;

const instructionColumns = [
  'id',
  'kind',
  'bank_code',
  'seq',
  'report_id',
  'stop_payment_id',
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
  reportId: string;
  stopPaymentId: string;
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
 * Takes the next `count` numbers of each bank's change feed. The feed row stays locked to the end of the
 * transaction, so a later number is never visible before an earlier one: a bank polling `after` its last
 * number misses nothing. Banks are locked in code order, so two transactions cannot deadlock on them.
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

/** The bank's queue, in SQL: each write also moves the instruction to the end of its bank's feed. */
export const bankInstructionRepository = {
  /**
   * Locks the feeds of all the banks a transaction will write to, in code order, before it writes any: a
   * transaction that touches several banks (an answer whose money went on to other banks) then cannot
   * deadlock with one touching the same banks the other way round.
   */
  async lockFeeds(trx: Trx, bankCodes: string[]): Promise<void> {
    const banks = [...new Set(bankCodes)].sort();
    if (banks.length === 0) return;
    await trx
      .insertInto('bank_feed')
      .values(banks.map((b) => ({ bank_code: b, last_seq: 0 })))
      .onConflict((oc) => oc.column('bank_code').doNothing())
      .execute();
    await trx
      .selectFrom('bank_feed')
      .select('bank_code')
      .where('bank_code', 'in', banks)
      .orderBy('bank_code')
      .forUpdate()
      .execute();
  },

  async insert(trx: Trx, items: NewBankInstruction[]): Promise<BankInstructionRow[]> {
    if (items.length === 0) return [];
    const counts = new Map<string, number>();
    for (const i of items) counts.set(i.bankCode, (counts.get(i.bankCode) ?? 0) + 1);
    const next = await takeSequences(trx, counts);
    return trx
      .insertInto('bank_instruction')
      .values(
        items.map((i) => {
          const seq = next.get(i.bankCode)!;
          next.set(i.bankCode, seq + 1);
          return {
            id: i.id,
            kind: i.kind,
            bank_code: i.bankCode,
            seq,
            report_id: i.reportId,
            stop_payment_id: i.stopPaymentId,
            payload: JSON.stringify(i.payload),
            signature: i.signature,
            key_id: i.keyId,
            signature_alg: i.algorithm,
            status: 'sent' as const,
            issued_at: i.issuedAt,
            deadline_at: i.deadlineAt,
            updated_at: i.issuedAt,
          };
        }),
      )
      .returning(instructionColumns)
      .execute();
  },

  /** Changes instructions (all of one patch) and moves each to the end of its bank's feed. */
  async update(
    trx: Trx,
    rows: Array<Pick<BankInstructionRow, 'id' | 'bank_code'>>,
    patch: Omit<Updateable<BankInstructionTable>, 'seq' | 'id' | 'bank_code'>,
  ): Promise<BankInstructionRow[]> {
    if (rows.length === 0) return [];
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.bank_code, (counts.get(r.bank_code) ?? 0) + 1);
    const next = await takeSequences(trx, counts);
    const updated: BankInstructionRow[] = [];
    for (const r of rows) {
      const seq = next.get(r.bank_code)!;
      next.set(r.bank_code, seq + 1);
      updated.push(
        await trx
          .updateTable('bank_instruction')
          .set({ ...patch, seq })
          .where('id', '=', r.id)
          .returning(instructionColumns)
          .executeTakeFirstOrThrow(),
      );
    }
    return updated;
  },

  lock: (trx: Trx, id: string) =>
    trx
      .selectFrom('bank_instruction')
      .select(instructionColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),

  get: (db: Db, id: string) =>
    db.selectFrom('bank_instruction').select(instructionColumns).where('id', '=', id).executeTakeFirst(),

  byStop: (db: Db, stopPaymentIds: string[]) =>
    stopPaymentIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('bank_instruction')
          .select(instructionColumns)
          .where('stop_payment_id', 'in', stopPaymentIds)
          .orderBy('seq')
          .execute(),

  /** One page of a bank's feed, in feed order; one row more than asked tells whether more follow. */
  list(db: Db, bankCode: string, q: BankQueueQuery): Promise<BankInstructionRow[]> {
    let query = db
      .selectFrom('bank_instruction')
      .select(instructionColumns)
      .where('bank_code', '=', bankCode);
    if (q.statuses !== 'all') query = query.where('status', 'in', q.statuses);
    if (q.kinds !== 'all') query = query.where('kind', 'in', q.kinds);
    if (q.after !== null) query = query.where('seq', '>', q.after);
    if (q.updatedSince) query = query.where('updated_at', '>=', q.updatedSince);
    return query
      .orderBy('seq')
      .limit(q.limit + 1)
      .execute();
  },
};

import type { SignatureAlgorithm } from '../../platform/crypto/suites';
import type { BankInstructionKind, BankInstructionStatus } from '@fanzha/domain';
import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { BankInstructionTable, DB } from '../../db/schema';
import { fieldCipher, openRow, openRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
/** The advisory lock space (the first of two keys; the second the stop's) of stops' deadline refreshes. */
const STOP_DEADLINES_LOCK = 7_305_052;
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
}

export interface BankQueueQuery {
  statuses: BankInstructionStatus[] | 'all';
  kinds: BankInstructionKind[] | 'all';
  /** A `sequence` as the bank passed it back: digits, kept as text (a feed position may pass 2^53). */
  after: string | null;
  updatedSince: Date | null;
  limit: number;
}

/**
 * The bank's queue, in SQL. A write marks the instruction `pending`; the feed sequencer numbers pending
 * changes after the writers' commits (`numberPending`), so a writer never locks a bank's feed. The signed
 * document (`payload`: holders' and payees' names) is stored sealed (`platform/crypto/field-cipher`): sealed
 * here from its JSON text as signed, opened on every read, so a bank is served the document exactly as signed.
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
          // Set by `refreshDeadlines`, from the instruction's state, in the same transaction.
          deadline_at: null,
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
   * Numbers up to `limit` committed pending changes, oldest first, at the end of their banks' feeds, in one
   * statement: the pending rows are locked (those a writer still holds are skipped: its commit asks for
   * another round), each bank's counter is moved on by its count (the feed rows locked in code order, and
   * only rounds lock them: no lock cycle is possible; held to the commit, so a later number is never
   * visible before an earlier one), and each row takes its number. Returns the rows numbered, in order.
   */
  async numberPending(trx: Trx, limit: number, bankCode?: string): Promise<BankInstructionRow[]> {
    // `where pending`, not compared with a parameter: a prepared statement's generic plan can then still use
    // the partial index of pending rows instead of reading the whole table.
    const numbered = await sql<BankInstructionRow>`
      with picked as (
        select id, bank_code, updated_at from bank_instruction
        where pending ${bankCode === undefined ? sql`` : sql`and bank_code = ${bankCode}`}
        order by updated_at, id limit ${limit} for update skip locked),
      ranked as (
        select id, bank_code, row_number() over (partition by bank_code order by updated_at, id) as n
        from picked),
      counts as (select bank_code, count(*) as n from picked group by bank_code),
      feed as (
        insert into bank_feed (bank_code, last_seq) select bank_code, n from counts order by bank_code
        on conflict (bank_code) do update set last_seq = bank_feed.last_seq + excluded.last_seq
        returning bank_code, last_seq)
      update bank_instruction b set seq = f.last_seq - c.n + r.n, pending = false
      from ranked r join counts c on c.bank_code = r.bank_code join feed f on f.bank_code = r.bank_code
      where b.id = r.id
      returning ${sql.join(instructionColumns.map((c) => sql.ref(`b.${c}`)))}`.execute(trx);
    return openRows(
      trx,
      'bank_instruction',
      [...numbered.rows].sort((x, y) => Number(x.seq) - Number(y.seq)),
    );
  },

  /** Whether a bank's feed (or, without a bank, any feed) has changes waiting for their number. */
  hasPending: async (db: Db, bankCode?: string): Promise<boolean> => {
    let q = db
      .selectFrom('bank_instruction')
      .select('id')
      .where(sql<boolean>`pending`);
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

  /**
   * Serialises the deadline refreshes of these stops to the end of the transaction: two changes to one stop at
   * once (a freeze's answer and the stop's lapse) refresh its deadlines one after the other, the second reading
   * the facts, in statements after this one, as the first committed them — never each from a snapshot without
   * the other's change, the last write stale. A lock per stop (advisory, keyed by the stop's id, taken in one
   * order) rather than on the instruction rows: a refresh writes only the rows whose deadline moved, so two
   * answers to one stop's instructions at once do not wait on each other's rows in turn.
   */
  async lockStopDeadlines(trx: Trx, stopPaymentIds: string[]): Promise<void> {
    const ids = [...new Set(stopPaymentIds)].sort();
    if (ids.length === 0) return;
    await sql`select pg_advisory_xact_lock(${STOP_DEADLINES_LOCK}, hashtext(id))
      from unnest(${ids}::text[]) as u(id)`.execute(trx);
  },

  /** The instructions of these stops, as their deadlines need them (the facts they rest on are the case's). */
  deadlinesOfStops: (trx: Trx, stopPaymentIds: string[]) =>
    stopPaymentIds.length === 0
      ? Promise.resolve([])
      : trx
          .selectFrom('bank_instruction')
          .select(['id', 'kind', 'status', 'deadline_at', 'stop_payment_id'])
          .where('stop_payment_id', 'in', stopPaymentIds)
          .execute(),

  kindOf: (db: Db, id: string) =>
    db
      .selectFrom('bank_instruction')
      .select('kind')
      .where('id', '=', id)
      .executeTakeFirst()
      .then((r) => r?.kind),

  /**
   * One page of a bank's feed, in feed order (one row more than asked tells whether more follow), and whether
   * the bank has changes waiting for their number, in one statement: a poll that finds nothing pending (most
   * do) is one round trip.
   */
  async list(
    db: Db,
    bankCode: string,
    q: BankQueueQuery,
  ): Promise<{ rows: BankInstructionRow[]; hasPending: boolean }> {
    const found = await db
      // Not compared with a parameter: the partial index of pending rows serves the look.
      .selectFrom(
        sql<{ has_pending: boolean }>`(select exists (
          select 1 from bank_instruction where pending and bank_code = ${bankCode}) as has_pending)`.as(
          'look',
        ),
      )
      .leftJoinLateral(
        (eb) => {
          let page = eb
            .selectFrom('bank_instruction')
            .select(instructionColumns)
            .where('bank_code', '=', bankCode);
          if (q.statuses !== 'all') page = page.where('status', 'in', q.statuses);
          if (q.kinds !== 'all') page = page.where('kind', 'in', q.kinds);
          if (q.after !== null) page = page.where('seq', '>', sql<number>`cast(${q.after} as bigint)`);
          else page = page.where('seq', 'is not', null);
          if (q.updatedSince) page = page.where('updated_at', '>=', q.updatedSince);
          return page
            .orderBy('seq')
            .limit(q.limit + 1)
            .as('b');
        },
        (join) => join.onTrue(),
      )
      .select('look.has_pending')
      .select(instructionColumns.map((c) => `b.${c}` as const))
      .orderBy('b.seq')
      .execute();
    const rows = found.flatMap(({ has_pending: _, ...row }) =>
      row.id === null ? [] : [row as BankInstructionRow],
    );
    return { rows: await openRows(db, 'bank_instruction', rows), hasPending: found[0]?.has_pending === true };
  },
};

import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { DB, TwoCardInstructionTable } from '../../db/schema';
import { fieldCipher, openRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type InstructionRow = Selectable<TwoCardInstructionTable>;
export type NewInstruction = Omit<Insertable<TwoCardInstructionTable>, 'seq' | 'instruction'> & {
  instruction: Record<string, unknown>;
};

const columns = [
  'id',
  'seq',
  'measure_id',
  'action',
  'kind',
  'party_kind',
  'party_code',
  'status',
  'refusal_reason',
  'note',
  'instruction',
  'signature',
  'key_id',
  'algorithm',
  'issued_at',
  'acknowledged_at',
  'executed_at',
  'refused_at',
  'withdrawn_at',
  'updated_at',
  'due_at',
  'overdue_at',
] as const;
/** Everything but the signed document: what the centre's page and the events need, never opened. */
const summaryColumns = columns.filter(
  (c): c is Exclude<(typeof columns)[number], 'instruction'> => c !== 'instruction',
);
export type InstructionSummaryRow = Omit<InstructionRow, 'instruction'>;

export const PENDING: ReadonlyArray<InstructionRow['status']> = ['sent', 'acknowledged'];

/**
 * A measure's signed instructions to its parties. The signed document names the holder's ID number: it is
 * sealed here from its JSON text as signed, and opened only to be served to its own party.
 */
export const twoCardInstructionRepository = {
  async insert(trx: Trx, items: NewInstruction[]): Promise<InstructionSummaryRow[]> {
    if (items.length === 0) return [];
    const cipher = await fieldCipher(trx);
    return trx
      .insertInto('two_card_instruction')
      .values(
        items.map((i) => ({
          ...i,
          instruction: JSON.stringify(
            cipher.seal('two_card_instruction.instruction', [i.id], JSON.stringify(i.instruction)),
          ),
        })),
      )
      .onConflict((oc) => oc.columns(['measure_id', 'action', 'party_kind', 'party_code']).doNothing())
      .returning(summaryColumns)
      .execute();
  },

  /** The instructions of these measures, without their documents, in the order they were issued. */
  async ofMeasures(db: Db, measureIds: string[]): Promise<InstructionSummaryRow[]> {
    if (measureIds.length === 0) return [];
    return db
      .selectFrom('two_card_instruction')
      .select(summaryColumns)
      .where('measure_id', 'in', measureIds)
      .orderBy('seq')
      .execute();
  },

  /** One party's instructions in these statuses, oldest first, from after the cursor (one more than `limit`). */
  async ofParty(
    db: Db,
    q: {
      partyKind: 'bank' | 'operator';
      partyCode: string;
      statuses: ReadonlyArray<InstructionRow['status']>;
      after?: string;
      limit: number;
    },
  ): Promise<InstructionRow[]> {
    let sel = db
      .selectFrom('two_card_instruction')
      .select(columns)
      .where('party_kind', '=', q.partyKind)
      .where('party_code', '=', q.partyCode)
      .where('status', 'in', [...q.statuses]);
    if (q.after) sel = sel.where('seq', '>', q.after);
    const rows = await sel
      .orderBy('seq')
      .limit(q.limit + 1)
      .execute();
    return openRows(db, 'two_card_instruction', rows);
  },

  async get(db: Db, id: string): Promise<InstructionRow | undefined> {
    const row = await db
      .selectFrom('two_card_instruction')
      .select(columns)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && (await openRows(db, 'two_card_instruction', [row]))[0];
  },

  /** Locks one instruction (its document stays sealed: an answer does not need it). */
  async lock(trx: Trx, id: string): Promise<InstructionSummaryRow | undefined> {
    return trx
      .selectFrom('two_card_instruction')
      .select(summaryColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  },

  /** Whether any instruction is past its deadline unanswered and not yet escalated: one indexed statement. */
  async hasOverdue(db: Db, now: Date): Promise<boolean> {
    const row = await db
      .selectFrom('two_card_instruction')
      .select('id')
      .where('overdue_at', 'is', null)
      .where('status', 'in', [...PENDING])
      .where('due_at', '<=', now)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  /**
   * Marks instructions past their deadline unanswered as escalated, once each (two sweeps skip each other's),
   * and returns them.
   */
  async markOverdue(trx: Trx, now: Date, limit: number): Promise<InstructionSummaryRow[]> {
    return trx
      .updateTable('two_card_instruction')
      .set({ overdue_at: now })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('two_card_instruction')
          .select('id')
          .where('overdue_at', 'is', null)
          .where('status', 'in', [...PENDING])
          .where('due_at', '<=', now)
          .orderBy('due_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(summaryColumns)
      .execute();
  },

  /**
   * Withdraws a measure's `apply` instructions its parties have neither executed nor refused (its lift), and
   * returns them.
   */
  async withdrawPending(trx: Trx, measureId: string, at: Date): Promise<InstructionSummaryRow[]> {
    return trx
      .updateTable('two_card_instruction')
      .set({ status: 'withdrawn', withdrawn_at: at, updated_at: at })
      .where('measure_id', '=', measureId)
      .where('action', '=', 'apply')
      .where('status', 'in', [...PENDING])
      .returning(summaryColumns)
      .execute();
  },

  async update(
    trx: Trx,
    id: string,
    set: Updateable<TwoCardInstructionTable>,
  ): Promise<InstructionSummaryRow> {
    return trx
      .updateTable('two_card_instruction')
      .set(set)
      .where('id', '=', id)
      .returning(summaryColumns)
      .executeTakeFirstOrThrow();
  },
};

import { openFundDecisionStatuses, type FundDecisionStatus } from '@fanzha/domain';
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { DB, FreezeRenewalTable, FreezeTable, FundDecisionTable } from '../../db/schema';
import { openRow, openRows, sealRows } from '../../platform/crypto/field-cipher';
import { reportsOwnedBy } from '../case/index';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type FreezeRow = Selectable<FreezeTable>;
export type FundDecisionRow = Selectable<FundDecisionTable>;

const freezeColumns = [
  'id',
  'stop_payment_id',
  'report_id',
  'decision_number',
  'amount_fen',
  'starts_at',
  'ends_at',
  'reason',
  'appeal_channel',
  'status',
  'renewals',
  'decided_by',
  'created_at',
  'updated_at',
  'requested_fen',
  'confirmed_at',
  'failure_reason',
] as const satisfies ReadonlyArray<keyof FreezeTable>;

const decisionColumns = [
  'id',
  'freeze_id',
  'report_id',
  'kind',
  'amount_fen',
  'victim_account',
  'payee_name',
  'payee_bank_code',
  'decision_number',
  'reason',
  'appeal_channel',
  'status',
  'proposed_by',
  'proposed_at',
  'decided_by',
  'decided_at',
  'rejection_reason',
  'due_at',
  'confirmed_at',
  'confirmed_by',
  'bank_reference',
  'executed_fen',
  'failure_reason',
  'overdue_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof FundDecisionTable>;

/** The SQL of freezes, their renewals and the release and return decisions: the tables this module owns. */
export const freezeRepository = {
  /** The report number and the frozen account, which every instruction about a freeze names. */
  instructionContext: async (trx: Trx, stopPaymentId: string) => {
    const row = await trx
      .selectFrom('stop_payment as s')
      .innerJoin('report as r', 'r.id', 's.report_id')
      .select(['s.id', 's.account_number', 's.account_name', 's.bank_code', 'r.number as report_number'])
      .where('s.id', '=', stopPaymentId)
      .executeTakeFirstOrThrow();
    const { id: _id, ...context } = (await openRow(trx, 'stop_payment', row))!;
    return context;
  },

  /**
   * The freezes with the bank or in force on one bank account (an appeal names it), with what is still
   * frozen and not held by open decisions.
   */
  onAccount: async (db: Db, bankCode: string, accountNumber: string) => {
    const rows = await db
      .selectFrom('account_freeze as f')
      .innerJoin('stop_payment as s', 's.id', 'f.stop_payment_id')
      .select(['f.id', 'f.status', 'f.amount_fen', 'f.ends_at'])
      .select((eb) =>
        eb
          .selectFrom('fund_decision as d')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('d.amount_fen'), e.lit(0)).as('fen'))
          .whereRef('d.freeze_id', '=', 'f.id')
          .where('d.status', 'in', openFundDecisionStatuses)
          .as('held_fen'),
      )
      .where('s.bank_code', '=', bankCode)
      .where('s.account_number', '=', accountNumber)
      .where('f.status', 'in', ['requested', 'active'])
      .orderBy('f.created_at')
      .execute();
    return rows.map((r) => ({ ...r, held_fen: Number(r.held_fen ?? 0) }));
  },

  lockFreeze: (trx: Trx, id: string): Promise<FreezeRow | undefined> =>
    trx
      .selectFrom('account_freeze')
      .select(freezeColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),

  freezeOf: (trx: Trx, id: string) =>
    trx
      .selectFrom('account_freeze')
      .select(['stop_payment_id', 'report_id', 'amount_fen', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow(),

  /** The freeze of a stopped account that is with the bank or in force, if any. */
  liveFreezeStatus: async (trx: Trx, stopPaymentId: string) =>
    (
      await trx
        .selectFrom('account_freeze')
        .select('status')
        .where('stop_payment_id', '=', stopPaymentId)
        .where('status', 'in', ['requested', 'active'])
        .executeTakeFirst()
    )?.status,

  insertFreeze: (trx: Trx, row: Insertable<FreezeTable>) =>
    trx.insertInto('account_freeze').values(row).execute(),

  setFreeze: (trx: Trx, id: string, patch: Updateable<FreezeTable>) =>
    trx.updateTable('account_freeze').set(patch).where('id', '=', id).execute(),

  /** Locks a freeze against other confirmations and the sweep while one changes it. */
  lockFreezeFigures: (trx: Trx, id: string) =>
    trx
      .selectFrom('account_freeze')
      .select(['status', 'amount_fen'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow(),

  hasPendingRenewal: async (trx: Trx, freezeId: string) =>
    (await trx
      .selectFrom('freeze_renewal')
      .select('seq')
      .where('freeze_id', '=', freezeId)
      .where('status', '=', 'requested')
      .executeTakeFirst()) !== undefined,

  insertRenewal: (trx: Trx, row: Insertable<FreezeRenewalTable>) =>
    trx.insertInto('freeze_renewal').values(row).execute(),

  failRenewal: (trx: Trx, instructionId: string) =>
    trx
      .updateTable('freeze_renewal')
      .set({ status: 'failed' })
      .where('instruction_id', '=', instructionId)
      .execute(),

  confirmRenewal: (trx: Trx, instructionId: string) =>
    trx
      .updateTable('freeze_renewal')
      .set({ status: 'confirmed' })
      .where('instruction_id', '=', instructionId)
      .returning(['freeze_id', 'ends_at', 'previous_ends_at'])
      .executeTakeFirstOrThrow(),

  /** What the open decisions on a freeze hold of it. */
  heldByOpenDecisions: async (trx: Trx, freezeId: string): Promise<number> => {
    const held = await trx
      .selectFrom('fund_decision')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen'))
      .where('freeze_id', '=', freezeId)
      .where('status', 'in', openFundDecisionStatuses)
      .executeTakeFirstOrThrow();
    return Number(held.fen);
  },

  /** A decision on this freeze proposed already with this number, kind and amount, unless rejected or failed. */
  sameProposal: (
    trx: Trx,
    freezeId: string,
    p: { decisionNumber: string; kind: FundDecisionTable['kind']; amountFen: number },
  ) =>
    trx
      .selectFrom('fund_decision')
      .select('id')
      .where('freeze_id', '=', freezeId)
      .where('decision_number', '=', p.decisionNumber)
      .where('kind', '=', p.kind)
      .where('amount_fen', '=', p.amountFen)
      .where('status', 'not in', ['rejected', 'failed'])
      .executeTakeFirst(),

  insertDecision: async (trx: Trx, row: Insertable<FundDecisionTable>) =>
    trx
      .insertInto('fund_decision')
      .values(await sealRows(trx, 'fund_decision', [row]))
      .execute(),

  lockDecision: (trx: Trx, id: string): Promise<FundDecisionRow | undefined> =>
    trx
      .selectFrom('fund_decision')
      .select(decisionColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
      .then((r) => openRow(trx, 'fund_decision', r)),

  decision: (db: Db, id: string): Promise<FundDecisionRow | undefined> =>
    db
      .selectFrom('fund_decision')
      .select(decisionColumns)
      .where('id', '=', id)
      .executeTakeFirst()
      .then((r) => openRow(db, 'fund_decision', r)),

  decisionsByIds: (db: Db, ids: string[]): Promise<FundDecisionRow[]> =>
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('fund_decision')
          .select(decisionColumns)
          .where('id', 'in', ids)
          .execute()
          .then((r) => openRows(db, 'fund_decision', r)),

  /** Decisions by status, newest first; `ownedBy` narrows them to the reports a county owns. */
  listDecisions(
    db: Db,
    q: { statuses: FundDecisionStatus[]; ownedBy: { countyCode: string | null } | null; limit: number },
  ): Promise<FundDecisionRow[]> {
    let query = db.selectFrom('fund_decision').select(decisionColumns).where('status', 'in', q.statuses);
    if (q.ownedBy) query = query.where('report_id', 'in', reportsOwnedBy(db, q.ownedBy.countyCode));
    return query
      .orderBy('proposed_at', 'desc')
      .limit(q.limit)
      .execute()
      .then((r) => openRows(db, 'fund_decision', r));
  },

  setDecision: (trx: Trx, id: string, patch: Updateable<FundDecisionTable>) =>
    trx.updateTable('fund_decision').set(patch).where('id', '=', id).execute(),

  confirmDecision: (trx: Trx, id: string, patch: Updateable<FundDecisionTable>) =>
    trx
      .updateTable('fund_decision')
      .set(patch)
      .where('id', '=', id)
      .returning(['freeze_id'])
      .executeTakeFirstOrThrow(),

  /** The sweep: freezes whose end has come are no longer in force. */
  expireFreezes: async (trx: Trx, ids: string[], at: Date): Promise<void> => {
    if (ids.length === 0) return;
    await trx
      .updateTable('account_freeze')
      .set({ status: 'expired', updated_at: at })
      .where('id', 'in', ids)
      .execute();
  },

  /** The sweep: approved returns the bank has not confirmed by their due date. */
  markReturnsOverdue: async (trx: Trx, ids: string[], at: Date): Promise<void> => {
    if (ids.length === 0) return;
    await trx.updateTable('fund_decision').set({ overdue_at: at }).where('id', 'in', ids).execute();
  },
};

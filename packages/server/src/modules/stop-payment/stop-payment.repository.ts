import type { StopPaymentStatus } from '@fanzha/domain';
import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { DB, OnwardTransferTable, StopPaymentTable } from '../../db/schema';
import type { Actor } from '../../platform/actor';
import { fieldCipher, openRow, openRows, sealRows } from '../../platform/crypto/field-cipher';
import { reportsOwnedBy, reportsTakenBy, type StopPaymentRow } from '../case/index';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type NewStopPaymentRow = Insertable<StopPaymentTable> & { id: string };
export type OnwardTransferRow = Selectable<OnwardTransferTable>;
export type StopPaymentPatch = Omit<Updateable<StopPaymentTable>, 'id' | 'report_id'>;

/** Who a request's events are for: its report's number, taker and owning county. */
export interface ReportFacts {
  id: string;
  number: string;
  createdBy: string;
  owningCountyCode: string | null;
}

const reportFacts = [
  'r.number as report_number',
  'r.created_by as report_created_by',
  'r.owning_county_code as report_owning_county_code',
] as const;
const factsOf = (r: {
  report_id: string;
  report_number: string;
  report_created_by: string;
  report_owning_county_code: string | null;
}): ReportFacts => ({
  id: r.report_id,
  number: r.report_number,
  createdBy: r.report_created_by,
  owningCountyCode: r.report_owning_county_code,
});
/**
 * The report's milestones as a lock read them: each is set once and never cleared, so one read as set needs
 * no update (one read as unset may have been set since: the update sets it only if still unset).
 */
export interface ReportMilestonesRead {
  firstInstructionSentAt: Date | null;
  firstStopResultAt: Date | null;
}
const milestoneColumns = [
  'r.first_instruction_sent_at as report_first_instruction_sent_at',
  'r.first_stop_result_at as report_first_stop_result_at',
] as const;
const withoutFacts = <T extends StopPaymentRow>(r: T): StopPaymentRow => {
  const {
    report_number: _n,
    report_created_by: _c,
    report_owning_county_code: _o,
    report_first_instruction_sent_at: _i,
    report_first_stop_result_at: _r,
    ...row
  } = r as T & Record<string, unknown>;
  return row;
};

/** A row as built in hand, in the form the insert takes (the instruction as JSON text; once sealed, it is). */
export const insertable = (r: StopPaymentRow): NewStopPaymentRow => ({
  ...r,
  instruction:
    r.instruction === null || typeof r.instruction === 'string'
      ? r.instruction
      : JSON.stringify(r.instruction),
});

/**
 * The SQL of stop-payment requests and their onward transfers (the tables this module owns). Reads of the
 * report it joins are only for the facts its events carry (number, taker, owning county). Account holders'
 * names are encrypted at rest: sealed on the way in, opened on the way out (`platform/crypto/field-cipher`).
 */
export const stopPaymentRepository = {
  /**
   * The requests this case already has for the given accounts, latest stop last. Read once the banks' feeds
   * are locked: two answers naming the same new account then see each other's request instead of both making
   * one.
   */
  knownAccounts: (trx: Trx, reportId: string, numbers: string[]) =>
    numbers.length === 0
      ? Promise.resolve([])
      : trx
          .selectFrom('stop_payment')
          .select(['id', 'account_number'])
          .where('report_id', '=', reportId)
          .where('account_number', 'in', numbers)
          .where('status', '<>', 'withdrawn')
          .orderBy('stop_seq')
          .execute(),

  /**
   * Locks a request (no scope check: the caller decides what the actor may see), with its report's facts and
   * milestones as read (the report's row is not locked).
   */
  async lock(trx: Trx, id: string) {
    const row = await trx
      .selectFrom('stop_payment as s')
      .innerJoin('report as r', 'r.id', 's.report_id')
      .selectAll('s')
      .select(reportFacts)
      .select(milestoneColumns)
      .where('s.id', '=', id)
      .forUpdate('s')
      .executeTakeFirst()
      .then((r) => openRow(trx, 'stop_payment', r));
    if (!row) return undefined;
    const milestones: ReportMilestonesRead = {
      firstInstructionSentAt: row.report_first_instruction_sent_at,
      firstStopResultAt: row.report_first_stop_result_at,
    };
    return { row: withoutFacts(row), report: factsOf(row), milestones };
  },

  /** Requests by id, each with its report's facts. */
  async withFacts(db: Db, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('stop_payment as s')
      .innerJoin('report as r', 'r.id', 's.report_id')
      .selectAll('s')
      .select(reportFacts)
      .where('s.id', 'in', ids)
      .execute()
      .then((r) => openRows(db, 'stop_payment', r));
    return rows.map((r) => ({ row: withoutFacts(r), report: factsOf(r) }));
  },

  /** New requests in one multi-row insert. */
  async insert(trx: Trx, rows: StopPaymentRow[]): Promise<void> {
    if (rows.length > 0)
      await trx
        .insertInto('stop_payment')
        .values((await sealRows(trx, 'stop_payment', rows)).map(insertable))
        .execute();
  },

  async update(trx: Trx, ids: string[], patch: StopPaymentPatch): Promise<void> {
    // A name or a signed instruction is sealed to its row, so a patch that carries one is written row by row (a
    // draft's correction, the desk's send: one).
    if (patch.account_name !== undefined || (patch.instruction !== undefined && patch.instruction !== null)) {
      const cipher = await fieldCipher(trx);
      for (const id of ids)
        await trx
          .updateTable('stop_payment')
          .set(cipher.sealRow('stop_payment', patch, [id]))
          .where('id', '=', id)
          .execute();
      return;
    }
    if (ids.length > 0) await trx.updateTable('stop_payment').set(patch).where('id', 'in', ids).execute();
  },

  /**
   * The bank's answer in one statement: the answered request (and the stop it renews), the next layer's
   * requests (already sent) and the onward transfers that lead to them. The onward rows may name the new
   * requests: the key is checked at the end of the statement, after every part of it has run.
   */
  async recordAnswer(
    trx: Trx,
    answered: { id: string; patch: StopPaymentPatch },
    renewed: { id: string; patch: StopPaymentPatch } | null,
    plainChildren: StopPaymentRow[],
    plainOnward: OnwardTransferRow[],
  ): Promise<void> {
    const children = await sealRows(trx, 'stop_payment', plainChildren);
    const onward = await sealRows(trx, 'onward_transfer', plainOnward);
    let q = trx.with('answered', (db) =>
      db.updateTable('stop_payment').set(answered.patch).where('id', '=', answered.id).returning('id'),
    );
    if (renewed)
      q = q.with('renewed', (db) =>
        db.updateTable('stop_payment').set(renewed.patch).where('id', '=', renewed.id).returning('id'),
      );
    if (children.length > 0)
      q = q.with('children', (db) =>
        db.insertInto('stop_payment').values(children.map(insertable)).returning('id'),
      );
    if (onward.length > 0) await q.insertInto('onward_transfer').values(onward).execute();
    else await q.selectFrom('answered').select('id').execute();
  },

  /** The open first-layer requests of a draft, and the accounts its trail reached one layer deeper. */
  async firstLayerOf(trx: Trx, reportId: string) {
    const rows = await trx
      .selectFrom('stop_payment')
      .selectAll()
      .where('report_id', '=', reportId)
      .where('status', '<>', 'withdrawn')
      .where((eb) => eb.or([eb('parent_id', 'is not', null), eb('stop_seq', '=', 1)]))
      .execute()
      .then((r) => openRows(trx, 'stop_payment', r));
    return {
      existing: rows.filter((r) => r.parent_id === null && r.stop_seq === 1),
      deeper: new Set(rows.filter((r) => r.parent_id !== null).map((r) => r.account_number)),
    };
  },

  /** The ids of first-layer requests of these reports (withdrawn included: a retry answers what it made). */
  firstLayerIds: (db: Db, reportIds: string[]) =>
    reportIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('stop_payment')
          .select(['id', 'report_id', 'account_number', 'status'])
          .where('report_id', 'in', reportIds)
          .where('parent_id', 'is', null)
          .execute(),

  /** The ids of a report's requests still in play. */
  openIdsOf: async (db: Db, reportId: string) =>
    (
      await db
        .selectFrom('stop_payment')
        .select('id')
        .where('report_id', '=', reportId)
        .where('status', '<>', 'withdrawn')
        .execute()
    ).map((r) => r.id),

  /** How many emergency stops an account had in a case, and whether the request has an active freeze. */
  async restopFacts(trx: Trx, row: StopPaymentRow) {
    const [stops, frozen] = await Promise.all([
      trx
        .selectFrom('stop_payment')
        .select('id')
        .where('report_id', '=', row.report_id)
        .where('account_number', '=', row.account_number)
        .where('status', '<>', 'withdrawn')
        .execute(),
      trx
        .selectFrom('account_freeze')
        .select('id')
        .where('stop_payment_id', '=', row.id)
        .where('status', '=', 'active')
        .executeTakeFirst(),
    ]);
    return { stops: stops.length, isFrozen: frozen !== undefined };
  },

  /** Emergency stops still in force, nearest lapse first: what must be frozen or stopped again soon. */
  expiring(db: Db, actor: Actor, limit: number, now: Date) {
    let q = db
      .selectFrom('stop_payment as s')
      .selectAll('s')
      .where('s.expires_at', '>', now)
      .where('s.renewed_at', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('account_freeze as f').select('f.id').whereRef('f.stop_payment_id', '=', 's.id'),
          ),
        ),
      );
    if (actor.role === 'county_police')
      q = q.where('s.report_id', 'in', reportsOwnedBy(db, actor.countyCode));
    if (actor.role === 'call_taker') q = q.where('s.report_id', 'in', reportsTakenBy(db, actor.userId));
    return q
      .orderBy('s.expires_at')
      .limit(limit)
      .execute()
      .then((r) => openRows(db, 'stop_payment', r));
  },

  /** One page of the queue, newest first by creation then id; one row more than asked tells if more follow. */
  queuePage(
    db: Db,
    actor: Actor,
    query: {
      statuses: StopPaymentStatus[];
      bank?: string | undefined;
      reportId?: string | undefined;
      before?: { createdAt: Date; id: string } | undefined;
      limit: number;
    },
  ) {
    let q = db.selectFrom('stop_payment').selectAll().where('status', 'in', query.statuses);
    if (query.bank) q = q.where('bank_code', '=', query.bank);
    if (query.reportId) q = q.where('report_id', '=', query.reportId);
    // County police follow the money of the cases their county owns, and nothing else.
    if (actor.role === 'county_police') q = q.where('report_id', 'in', reportsOwnedBy(db, actor.countyCode));
    // A call-taker follows the accounts of the reports they took, as their report list and stream do.
    if (actor.role === 'call_taker') q = q.where('report_id', 'in', reportsTakenBy(db, actor.userId));
    const before = query.before;
    if (before)
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', before.createdAt),
          eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
        ]),
      );
    return q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute()
      .then((r) => openRows(db, 'stop_payment', r));
  },

  get(db: Db, actor: Actor, id: string) {
    let q = db.selectFrom('stop_payment').selectAll().where('id', '=', id);
    if (actor.role === 'call_taker') q = q.where('report_id', 'in', reportsTakenBy(db, actor.userId));
    return q.executeTakeFirst().then((r) => openRow(db, 'stop_payment', r));
  },
};

/** The legal timers' write to `stop_payment` (their `StopPaymentDeadlines`). */
export const stopPaymentLapses = {
  /** Stops lapsed exactly at their deadline, whenever the sweep notices. */
  async lapse(trx: Trx, stopPaymentIds: string[], at: Date): Promise<void> {
    if (stopPaymentIds.length === 0) return;
    await sql`update stop_payment set lapsed_at = expires_at, updated_at = ${at}
      where id in (${sql.join(stopPaymentIds)})`.execute(trx);
  },
};

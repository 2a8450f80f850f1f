import {
  sql,
  type Insertable,
  type InsertObject,
  type Kysely,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { DB, ReportTable, ReportTransferTable } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import { fieldCipher, openRow, openRows, sealRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
/** A new report (its number is an expression: the next of the shared sequence). */
export type NewReportRow = InsertObject<DB, 'report'>;
export type ReportTransferRow = Insertable<ReportTransferTable>;

/**
 * The SQL of reports and their transfers (the tables this module owns). The victim's name, ID number, phone
 * and address and the transfers' payee names are encrypted here on the way in and decrypted on the way out.
 */
export const reportsRepository = {
  /** Whole reports in one insert; a report id seen before is skipped. Returns the new ones' numbers. */
  insertNew: async (trx: Trx, rows: NewReportRow[]) =>
    trx
      .insertInto('report')
      .values(await sealRows(trx, 'report', rows))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning(['id', 'number'])
      .execute(),

  /** A draft's first save; returns its number, or undefined when the same id was created meanwhile. */
  insertDraft: async (trx: Trx, row: NewReportRow) =>
    (
      await trx
        .insertInto('report')
        .values(await sealRows(trx, 'report', [row]))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('number')
        .executeTakeFirst()
    )?.number,

  update: async (trx: Trx, id: string, patch: Updateable<ReportTable>) => {
    const sealed = (await fieldCipher(trx)).sealRow('report', patch, [id]);
    await trx.updateTable('report').set(sealed).where('id', '=', id).execute();
  },

  /** Locks a report for a change to its draft or its submission. */
  lockForDraft: (trx: Trx, id: string) =>
    trx
      .selectFrom('report')
      .select([
        'version',
        'status',
        'number',
        'created_by',
        'owning_county_code',
        'first_account_pushed_at',
        'from_episode_id',
        'in_intake_queue',
      ])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst(),

  lockWhole: async (trx: Trx, id: string) =>
    openRow(
      trx,
      'report',
      await trx.selectFrom('report').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
    ),

  async insertTransfers(trx: Trx, rows: ReportTransferRow[]): Promise<void> {
    if (rows.length > 0)
      await trx
        .insertInto('report_transfer')
        .values(await sealRows(trx, 'report_transfer', rows))
        .execute();
  },

  async deleteTransfers(trx: Trx, reportId: string): Promise<void> {
    await trx.deleteFrom('report_transfer').where('report_id', '=', reportId).execute();
  },

  /** The numbers of reports registered before (a retried intake). */
  numbersOf: (trx: Trx, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : trx.selectFrom('report').select(['id', 'number']).where('id', 'in', ids).execute(),

  /** Reports' content (opened) with their transfers in order: what a retried intake is compared with. */
  async contentOf(trx: Trx, ids: string[]) {
    if (ids.length === 0) return [];
    const [reports, transfers] = await Promise.all([
      trx
        .selectFrom('report')
        .select([
          'id',
          'status',
          'call_answered_at',
          'victim_name',
          'victim_id_number',
          'victim_phone',
          'victim_county_code',
          'victim_address',
          'narrative',
          'fraud_type',
          'contacts',
        ])
        .where('id', 'in', ids)
        .execute(),
      trx
        .selectFrom('report_transfer')
        .select([
          'report_id',
          'key',
          'position',
          'transferred_at',
          'amount_fen',
          'victim_account',
          'to_number',
          'to_name',
          'to_bank_code',
        ])
        .where('report_id', 'in', ids)
        .orderBy('report_id')
        .orderBy('position')
        .execute(),
    ]);
    const [opened, openedTransfers] = await Promise.all([
      openRows(trx, 'report', reports),
      openRows(trx, 'report_transfer', transfers),
    ]);
    return opened.map((report) => ({
      report,
      transfers: openedTransfers.filter((t) => t.report_id === report.id).map(({ report_id: _, ...t }) => t),
    }));
  },

  /** What a report's view is made of: the report, its transfers and its taker's username. */
  async forView(db: Db, id: string) {
    const report = await openRow(
      db,
      'report',
      await db.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirst(),
    );
    if (!report) return undefined;
    const [transfers, creator] = await Promise.all([
      db.selectFrom('report_transfer').selectAll().where('report_id', '=', id).execute(),
      db.selectFrom('app_user').select('username').where('id', '=', report.created_by).executeTakeFirst(),
    ]);
    return {
      report,
      transfers: await openRows(db, 'report_transfer', transfers),
      creatorUsername: creator?.username ?? '',
    };
  },

  /**
   * The reports of one victim, by ID number or phone, newest first: an equality look-up on the blind index
   * (the values themselves are encrypted; a substring cannot be searched).
   */
  async idsByVictim(db: Db, victim: { idNumber?: string; phone?: string }, limit: number) {
    const cipher = await fieldCipher(db);
    let q = db.selectFrom('report').select(['id', 'number']);
    if (victim.idNumber)
      q = q.where(
        'victim_id_number_bidx',
        '=',
        cipher.blindIndex('report.victim_id_number', victim.idNumber),
      );
    if (victim.phone)
      q = q.where('victim_phone_bidx', '=', cipher.blindIndex('report.victim_phone', victim.phone));
    if (!victim.idNumber && !victim.phone) return [];
    return q.orderBy('created_at', 'desc').limit(limit).execute();
  },

  /** The report opened from a warning episode, if any (at most one: a unique index). */
  byEpisode: (db: Db, episodeId: string) =>
    db
      .selectFrom('report')
      .select(['id', 'number', 'status'])
      .where('from_episode_id', '=', episodeId)
      .executeTakeFirst(),

  /** Where a report stands, without its content. */
  brief: (db: Db, id: string) =>
    db.selectFrom('report').select(['id', 'number', 'status']).where('id', '=', id).executeTakeFirst(),

  list(
    db: Db,
    q: {
      status?: string | undefined;
      createdBy?: string | undefined;
      /** With `createdBy`: also the drafts opened from warning episodes (a call-taker's intake queue). */
      orEpisodeDrafts?: boolean;
      owningCounty?: string | null | undefined;
    },
    limit: number,
  ) {
    let query = db
      .selectFrom('report')
      .select([
        'id',
        'number',
        'status',
        'fraud_type',
        'victim_county_code',
        'total_loss_fen',
        'call_answered_at',
        'updated_at',
        'from_episode_id',
      ]);
    if (q.status) query = query.where('status', '=', q.status as 'draft');
    const createdBy = q.createdBy;
    if (createdBy && q.orEpisodeDrafts)
      query = query.where((eb) =>
        eb.or([
          eb('created_by', '=', createdBy),
          eb.and([eb('in_intake_queue', '=', true), eb('status', '=', 'draft')]),
        ]),
      );
    else if (createdBy) query = query.where('created_by', '=', createdBy);
    if (q.owningCounty !== undefined)
      query = query.where('owning_county_code', '=', q.owningCounty).where('status', '<>', 'draft');
    return query.orderBy('updated_at', 'desc').limit(limit).execute();
  },
};

/**
 * Sets a report's first-instruction and first-result moments, each only once, in one statement: the
 * stop-payment module calls it (injected, as reports already depends on stop-payment) when it sends or hears
 * back, so that only this module writes the report table.
 */
export async function markReportMilestones(
  trx: Trx,
  reportId: string,
  at: { firstInstructionSentAt?: Date; firstStopResultAt?: Date },
): Promise<void> {
  const sent = at.firstInstructionSentAt;
  const result = at.firstStopResultAt;
  if (!sent && !result) return;
  await trx
    .updateTable('report')
    .set((eb) => ({
      ...(sent
        ? { first_instruction_sent_at: eb.fn.coalesce('first_instruction_sent_at', eb.val(sent)) }
        : {}),
      ...(result ? { first_stop_result_at: eb.fn.coalesce('first_stop_result_at', eb.val(result)) } : {}),
    }))
    .where('id', '=', reportId)
    .where((eb) =>
      eb.or([
        ...(sent ? [eb('first_instruction_sent_at', 'is', null)] : []),
        ...(result ? [eb('first_stop_result_at', 'is', null)] : []),
      ]),
    )
    .execute();
}

/**
 * The county hand-off's writes to `report` (county-tasks asks for them through its `ReportHandOff`; it cannot
 * import this module, which imports it).
 */
export const reportHandOff = {
  /** Each report routed to a county's police, which owns it from now on: one statement for a batch. */
  async route(trx: Trx, reports: Array<{ reportId: string; countyCode: string }>, at: Date): Promise<void> {
    if (reports.length === 0) return;
    const rows = sql.join(reports.map((r) => sql`(${r.reportId}::uuid, ${r.countyCode}::text)`));
    await sql`
      update report set status = 'routed', owning_county_code = v.county_code, updated_at = ${at}
      from (values ${rows}) as v(id, county_code)
      where report.id = v.id`.execute(trx);
  },

  /** A routed report accepted by its county. */
  async accept(trx: Trx, reportId: string, at: Date): Promise<void> {
    await trx
      .updateTable('report')
      .set({ status: 'accepted', updated_at: at })
      .where('id', '=', reportId)
      .where('status', '=', 'routed')
      .execute();
  },

  /**
   * A report its county's police have answered for (反馈): closed (办结), and told as `report.changed` in the
   * same transaction (callbacks after a closed report start from it). Closed once; a report not routed or
   * accepted is left as it is.
   */
  async close(trx: Trx, reportId: string, at: Date): Promise<void> {
    const closed = await trx
      .updateTable('report')
      .set((eb) => ({ status: 'closed', updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', reportId)
      .where('status', 'in', ['routed', 'accepted'])
      .returning(['id', 'number', 'version', 'created_by'])
      .executeTakeFirst();
    if (closed)
      await enqueue(
        trx,
        newEvent(
          'report.changed',
          {
            id: closed.id,
            number: closed.number,
            status: 'closed',
            version: closed.version,
            createdBy: closed.created_by,
          },
          { now: () => at },
        ),
      );
  },
};

/** A person looked up among the victims of submitted reports, by phone or ID number (either suffices). */
export interface VictimLookUp {
  key: string;
  phone: string | null;
  idNumber: string | null;
}

/**
 * When each of these people called in as the victim of a submitted report (drafts are not reports yet): the
 * times by look-up key. An equality look-up on the blind indexes, one statement for any number of people;
 * the plain values never leave this process.
 */
export async function victimReportTimes(db: Db, people: VictimLookUp[]): Promise<Map<string, Date[]>> {
  const cipher = await fieldCipher(db);
  const byPhone = new Map<string, string[]>();
  const byId = new Map<string, string[]>();
  const keep = (map: Map<string, string[]>, bidx: string, key: string) =>
    map.set(bidx, [...(map.get(bidx) ?? []), key]);
  for (const p of people) {
    if (p.phone) keep(byPhone, cipher.blindIndex('report.victim_phone', p.phone), p.key);
    if (p.idNumber) keep(byId, cipher.blindIndex('report.victim_id_number', p.idNumber), p.key);
  }
  const times = new Map<string, Date[]>();
  if (byPhone.size === 0 && byId.size === 0) return times;
  const rows = await db
    .selectFrom('report')
    .select(['id', 'victim_phone_bidx', 'victim_id_number_bidx', 'call_answered_at'])
    .where((eb) =>
      eb.or([
        ...(byPhone.size > 0 ? [eb('victim_phone_bidx', 'in', [...byPhone.keys()])] : []),
        ...(byId.size > 0 ? [eb('victim_id_number_bidx', 'in', [...byId.keys()])] : []),
      ]),
    )
    .where('status', '<>', 'draft')
    .execute();
  for (const r of rows) {
    const keys = new Set([
      ...(r.victim_phone_bidx ? (byPhone.get(r.victim_phone_bidx) ?? []) : []),
      ...(r.victim_id_number_bidx ? (byId.get(r.victim_id_number_bidx) ?? []) : []),
    ]);
    for (const key of keys) times.set(key, [...(times.get(key) ?? []), r.call_answered_at]);
  }
  return times;
}

/** Whom a callback (回访) about these reports calls: the victim's name and phone (opened), their county. */
export async function victimContacts(db: Db, reportIds: string[]) {
  if (reportIds.length === 0) return [];
  const rows = await db
    .selectFrom('report')
    .select(['id', 'number', 'victim_name', 'victim_phone', 'victim_county_code', 'owning_county_code'])
    .where('id', 'in', reportIds)
    .execute();
  return (await openRows(db, 'report', rows)).map((r) => ({
    id: r.id,
    number: r.number,
    name: r.victim_name,
    phone: r.victim_phone,
    countyCode: r.owning_county_code ?? r.victim_county_code,
  }));
}

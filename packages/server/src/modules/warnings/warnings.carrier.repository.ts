import { type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CarrierRequestTable, DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type CarrierRequestRow = Omit<Selectable<CarrierRequestTable>, 'seq'>;

const columns = [
  'id',
  'episode_id',
  'contact_id',
  'operator_code',
  'status',
  'answer',
  'reason',
  'answered_by',
  'answered_at',
  'created_at',
] as const satisfies ReadonlyArray<keyof CarrierRequestTable>;

/** The SQL of carrier assist requests (运营商协助), a table of the warnings module. */
export const carrierRepository = {
  /** The operators' signals about these episodes' people, newest first: who serves the line now. */
  operatorSources: (db: Db, episodeIds: string[]) =>
    episodeIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('episode_warning')
          .select(['episode_id', 'source'])
          .where('episode_id', 'in', episodeIds)
          .where('source', 'like', 'operator:%')
          .orderBy('signal_at', 'desc')
          .orderBy('seq', 'desc')
          .execute(),

  async insert(trx: Trx, rows: Array<Insertable<CarrierRequestTable>>): Promise<void> {
    if (rows.length > 0) await trx.insertInto('carrier_request').values(rows).execute();
  },

  /**
   * One operator's queue (all operators' for `null`): open oldest first, answered newest first, from after the
   * cursor (a request's `seq`), one more than `limit` (whether there is a next page).
   */
  list: (
    db: Db,
    q: { operatorCode: string | null; status: 'open' | 'answered'; after?: string; limit: number },
  ) => {
    const isOldestFirst = q.status === 'open';
    let query = db
      .selectFrom('carrier_request')
      .select([...columns, 'seq'])
      .where('status', '=', q.status);
    if (q.operatorCode !== null)
      query = query.where('operator_code', '=', q.operatorCode as CarrierRequestRow['operator_code']);
    if (q.after !== undefined) query = query.where('seq', isOldestFirst ? '>' : '<', Number(q.after));
    return query
      .orderBy('seq', isOldestFirst ? 'asc' : 'desc')
      .limit(q.limit + 1)
      .execute();
  },

  get: (db: Db, id: string) =>
    db.selectFrom('carrier_request').select(columns).where('id', '=', id).executeTakeFirst(),

  lock: (trx: Trx, id: string) =>
    trx.selectFrom('carrier_request').select(columns).where('id', '=', id).forUpdate().executeTakeFirst(),

  ofEpisode: (db: Db, episodeId: string) =>
    db.selectFrom('carrier_request').select(columns).where('episode_id', '=', episodeId).execute(),

  async answer(
    trx: Trx,
    id: string,
    a: { answer: NonNullable<CarrierRequestRow['answer']>; reason: string | null; by: string; at: Date },
  ): Promise<void> {
    await trx
      .updateTable('carrier_request')
      .set({ status: 'answered', answer: a.answer, reason: a.reason, answered_by: a.by, answered_at: a.at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
  },

  /** The contact row shows the operator's answer: done (`sent`) or not (`failed`, with why). */
  async markContact(
    trx: Trx,
    contactId: string,
    r: { status: 'sent' | 'failed'; at: Date; failure: string | null },
  ): Promise<void> {
    await trx
      .updateTable('episode_contact')
      .set({ status: r.status, sent_at: r.at, failure: r.failure })
      .where('id', '=', contactId)
      .execute();
  },

  async setIntakeReport(trx: Trx, episodeId: string, reportId: string): Promise<void> {
    await trx
      .updateTable('episode')
      .set({ intake_report_id: reportId })
      .where('id', '=', episodeId)
      .where('intake_report_id', 'is', null)
      .execute();
  },
};

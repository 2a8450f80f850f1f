import type { CallbackKind, CallbackSettings } from '@fanzha/domain';
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { CallbackAttemptTable, CallbackTable, DB } from '../../db/schema';
import { openRows, sealRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

const COLUMNS = [
  'id',
  'kind',
  'source_id',
  'report_id',
  'report_number',
  'episode_id',
  'county_code',
  'person_name',
  'person_phone',
  'status',
  'attempts',
  'due_at',
  'satisfaction',
  'has_complaint',
  'source_at',
  'created_at',
  'updated_at',
  'closed_at',
] as const;

export type CallbackRow = Awaited<ReturnType<typeof callbacksRepository.get>> & object;
export type NewCallbackRow = Insertable<CallbackTable>;

const ATTEMPT_COLUMNS = [
  'callback_id',
  'n',
  'outcome',
  'satisfaction',
  'complaint',
  'note',
  'by_user_id',
  'by_username',
  'idempotency_key',
  'at',
] as const;

interface QueueQuery {
  status: 'open' | 'closed';
  kind?: CallbackKind;
  limit: number;
}

/** The queue's read: open ones along `callback_due`, closed ones along `callback_closed` (query-plan test). */
export function queueQuery(db: Db, q: QueueQuery) {
  let query = db.selectFrom('callback').select(COLUMNS);
  if (q.kind) query = query.where('kind', '=', q.kind);
  query =
    q.status === 'open'
      ? query.where('status', '=', 'open').orderBy('due_at').orderBy('id')
      : query.where('closed_at', 'is not', null).orderBy('closed_at', 'desc').orderBy('id');
  return query.limit(q.limit);
}

/** The SQL of callbacks (`callback`, `callback_attempt`, `callback_settings`: the tables this module owns). */
export const callbacksRepository = {
  async settings(db: Db): Promise<CallbackSettings> {
    const r = await db
      .selectFrom('callback_settings')
      .select([
        'delay_report_closed_min',
        'delay_money_returned_min',
        'delay_persuaded_min',
        'retry_min',
        'max_attempts',
      ])
      .executeTakeFirstOrThrow();
    return {
      delayMinutes: {
        report_closed: r.delay_report_closed_min,
        money_returned: r.delay_money_returned_min,
        persuaded: r.delay_persuaded_min,
      },
      retryMinutes: r.retry_min,
      maxAttempts: r.max_attempts,
    };
  },

  async saveSettings(trx: Trx, s: CallbackSettings, by: string, at: Date): Promise<void> {
    await trx
      .updateTable('callback_settings')
      .set({
        delay_report_closed_min: s.delayMinutes.report_closed,
        delay_money_returned_min: s.delayMinutes.money_returned,
        delay_persuaded_min: s.delayMinutes.persuaded,
        retry_min: s.retryMinutes,
        max_attempts: s.maxAttempts,
        updated_by: by,
        updated_at: at,
      })
      .where('id', '=', true)
      .execute();
  },

  /** Which of these (kind, source) pairs already have their callback: one statement. */
  async existing(db: Db, keys: Array<{ kind: CallbackKind; sourceId: string }>): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db
      .selectFrom('callback')
      .select(['kind', 'source_id'])
      .where((eb) =>
        eb.or(keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('source_id', '=', k.sourceId)]))),
      )
      .execute();
    return new Set(rows.map((r) => `${r.kind}:${r.source_id}`));
  },

  /** New callbacks, sealed; a (kind, source) that already has one is left as it is. Returns those made. */
  async insert(trx: Trx, rows: NewCallbackRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const made = await trx
      .insertInto('callback')
      .values(await sealRows(trx, 'callback', rows))
      .onConflict((oc) => oc.columns(['kind', 'source_id']).doNothing())
      .returning('id')
      .execute();
    return made.map((r) => r.id);
  },

  async get(db: Db, id: string) {
    const row = await db.selectFrom('callback').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? (await openRows(db, 'callback', [row]))[0] : undefined;
  },

  async lock(trx: Trx, id: string) {
    const row = await trx
      .selectFrom('callback')
      .select(COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row ? (await openRows(trx, 'callback', [row]))[0] : undefined;
  },

  async set(trx: Trx, id: string, change: Updateable<CallbackTable>): Promise<void> {
    await trx.updateTable('callback').set(change).where('id', '=', id).execute();
  },

  /** The queue: open callbacks by due time (the partial index), or the latest closed ones. */
  list: async (db: Db, q: QueueQuery) => openRows(db, 'callback', await queueQuery(db, q).execute()),

  async attempts(db: Db, id: string) {
    const rows = await db
      .selectFrom('callback_attempt')
      .select(ATTEMPT_COLUMNS)
      .where('callback_id', '=', id)
      .orderBy('n')
      .execute();
    return openRows(db, 'callback_attempt', rows);
  },

  /** The attempt recorded with this key, opened (its complaint and note), to compare a retry with. */
  async attemptByKey(db: Db, id: string, key: string) {
    const rows = await db
      .selectFrom('callback_attempt')
      .select(ATTEMPT_COLUMNS)
      .where('callback_id', '=', id)
      .where('idempotency_key', '=', key)
      .execute();
    return (await openRows(db, 'callback_attempt', rows))[0];
  },

  async insertAttempt(trx: Trx, row: Insertable<CallbackAttemptTable>): Promise<void> {
    await trx
      .insertInto('callback_attempt')
      .values(await sealRows(trx, 'callback_attempt', [row]))
      .execute();
  },
};

/** The figures of callbacks made in [from, to): one range of `callback_created`, grouped by kind. */
export const callbackRatesQuery = (db: Db, from: Date, to: Date, county: string | null) => {
  let q = db
    .selectFrom('callback')
    .select([
      'kind',
      sql<number>`count(*)::int`.as('scheduled'),
      sql<number>`count(*) filter (where status in ('done', 'unreachable', 'refused'))::int`.as('closed'),
      sql<number>`count(*) filter (where status = 'done')::int`.as('reached'),
      sql<number>`count(*) filter (where status = 'unreachable')::int`.as('unreachable'),
      sql<number>`count(*) filter (where status = 'refused')::int`.as('refused'),
      sql<number>`coalesce(sum(satisfaction), 0)::int`.as('satisfaction_sum'),
      sql<number>`count(satisfaction)::int`.as('rated'),
      sql<number>`count(*) filter (where has_complaint)::int`.as('complaints'),
    ])
    .where('created_at', '>=', from)
    .where('created_at', '<', to);
  if (county) q = q.where('county_code', '=', county);
  return q.groupBy('kind');
};

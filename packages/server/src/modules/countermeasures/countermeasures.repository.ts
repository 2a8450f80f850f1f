import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { CountermeasureStatus } from '@fanzha/domain';
import type {
  CountermeasureBatchTable,
  CountermeasureEventTable,
  CountermeasureTable,
  DB,
} from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type CountermeasureRow = Selectable<CountermeasureTable>;
export type NewCountermeasure = Insertable<CountermeasureTable>;
export type CountermeasureBatchRow = Selectable<CountermeasureBatchTable>;

const columns = [
  'id',
  'seq',
  'batch_id',
  'kind',
  'party_kind',
  'party_code',
  'indicator_id',
  'value',
  'reason',
  'status',
  'refusal_reason',
  'note',
  'lift_reason',
  'instruction',
  'signature',
  'key_id',
  'algorithm',
  'lift_instruction',
  'lift_signature',
  'lift_key_id',
  'lift_algorithm',
  'requested_by',
  'requested_at',
  'acknowledged_at',
  'executed_at',
  'refused_at',
  'lift_requested_at',
  'lifted_at',
  'due_at',
  'overdue_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof CountermeasureTable>;

const batchColumns = [
  'id',
  'idempotency_key',
  'body_hash',
  'requested_by',
  'created_at',
] as const satisfies ReadonlyArray<keyof CountermeasureBatchTable>;

export const OPEN_STATUSES: CountermeasureStatus[] = ['requested', 'acknowledged', 'lift_requested'];

export interface ListFilter {
  party: { kind: 'operator' | 'bank'; code: string } | null;
  partyCode?: string;
  statuses: CountermeasureStatus[];
  kind?: CountermeasureRow['kind'];
  after?: string;
  limit: number;
}

/** The SQL of countermeasures (技术反制): the tables of the countermeasures module only. */
export const countermeasureRepository = {
  batchByKey: (db: Db, key: string) =>
    db
      .selectFrom('countermeasure_batch')
      .select(batchColumns)
      .where('idempotency_key', '=', key)
      .executeTakeFirst(),

  /** Records the batch once; false when another request took the key meanwhile. */
  async insertBatch(trx: Trx, row: Insertable<CountermeasureBatchTable>): Promise<boolean> {
    const r = await trx
      .insertInto('countermeasure_batch')
      .values(row)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  },

  async insert(trx: Trx, rows: NewCountermeasure[]): Promise<void> {
    if (rows.length > 0) await trx.insertInto('countermeasure').values(rows).execute();
  },

  ofBatch: (db: Db, batchId: string) =>
    db.selectFrom('countermeasure').select(columns).where('batch_id', '=', batchId).orderBy('seq').execute(),

  /** A page in request order (keyset on `seq`), narrowed to one party where given. */
  list(db: Db, f: ListFilter) {
    let q = db.selectFrom('countermeasure').select(columns).where('status', 'in', f.statuses);
    if (f.party) q = q.where('party_kind', '=', f.party.kind).where('party_code', '=', f.party.code);
    else if (f.partyCode) q = q.where('party_code', '=', f.partyCode);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.after) q = q.where('seq', '>', f.after);
    return q
      .orderBy('seq')
      .limit(f.limit + 1)
      .execute();
  },

  /** Every countermeasure on one value (its normal form), oldest first: what an appeal on it concerns. */
  onValue: (db: Db, value: string) =>
    db
      .selectFrom('countermeasure')
      .select(columns)
      .where('value', '=', value)
      .orderBy('seq')
      .limit(500)
      .execute(),

  get: (db: Db, id: string) =>
    db.selectFrom('countermeasure').select(columns).where('id', '=', id).executeTakeFirst(),

  lock: (trx: Trx, id: string) =>
    trx.selectFrom('countermeasure').select(columns).where('id', '=', id).forUpdate().executeTakeFirst(),

  async update(trx: Trx, id: string, set: Updateable<CountermeasureTable>): Promise<void> {
    await trx.updateTable('countermeasure').set(set).where('id', '=', id).execute();
  },

  eventByKey: (db: Db, countermeasureId: string, key: string) =>
    db
      .selectFrom('countermeasure_event')
      .select(['event', 'to_status', 'details'])
      .where('countermeasure_id', '=', countermeasureId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst(),

  /** One countermeasure's recorded steps (their order within one instant is the lifecycle's: see the service). */
  eventsOf: (db: Db, countermeasureId: string) =>
    db
      .selectFrom('countermeasure_event')
      .select(['event', 'from_status', 'to_status', 'at', 'by_username', 'details'])
      .where('countermeasure_id', '=', countermeasureId)
      .orderBy('at')
      .execute(),

  async insertEvents(trx: Trx, rows: Array<Insertable<CountermeasureEventTable>>): Promise<void> {
    if (rows.length > 0) await trx.insertInto('countermeasure_event').values(rows).execute();
  },

  /** Whether any awaits its party past its SLA, not yet alerted on: the idle sweep's one read-only look. */
  async hasOverdue(db: Db, now: Date): Promise<boolean> {
    const row = await db
      .selectFrom('countermeasure')
      .select('id')
      .where('overdue_at', 'is', null)
      .where('due_at', '<=', now)
      .where('status', 'in', OPEN_STATUSES)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  /**
   * Marks those awaiting their party past their SLA and not yet alerted on as overdue, in one statement, once
   * each (two sweeps skip each other's), and returns them, earliest due first.
   */
  async markOverdue(trx: Trx, now: Date, limit: number): Promise<CountermeasureRow[]> {
    const rows = await trx
      .updateTable('countermeasure')
      .set({ overdue_at: now })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('countermeasure')
          .select('id')
          .where('overdue_at', 'is', null)
          .where('due_at', '<=', now)
          .where('status', 'in', OPEN_STATUSES)
          .orderBy('due_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(columns)
      .execute();
    // `returning` has no order: earliest due first, as the alerts and events were told before.
    const due = (r: CountermeasureRow) => r.due_at?.getTime() ?? 0;
    return rows.sort((a, b) => due(a) - due(b));
  },

  /** Per party: counts by status, numbers shut, and the median time from request to execution. */
  figures: (db: Db) =>
    db
      .selectFrom('countermeasure')
      .select((eb) => [
        'party_kind',
        'party_code',
        eb.fn.countAll<string>().as('requested'),
        sql<string>`count(*) filter (where executed_at is not null)`.as('executed'),
        sql<string>`count(*) filter (where status = 'refused')`.as('refused'),
        sql<string>`count(*) filter (where status in ('requested', 'acknowledged', 'lift_requested'))`.as(
          'open',
        ),
        sql<string>`count(*) filter (where overdue_at is not null and status in ('requested', 'acknowledged', 'lift_requested'))`.as(
          'overdue',
        ),
        sql<string>`count(*) filter (where kind = 'block_phone' and executed_at is not null and status in ('executed', 'lift_requested'))`.as(
          'phones_shut',
        ),
        sql<
          number | string | null
        >`percentile_cont(0.5) within group (order by extract(epoch from executed_at - requested_at) * 1000) filter (where executed_at is not null)`.as(
          'median_ms',
        ),
      ])
      .groupBy(['party_kind', 'party_code'])
      .orderBy('party_kind')
      .orderBy('party_code')
      .execute(),

  /** Phone blocks executed in [from, to): the wall's 关停涉诈号码. */
  phonesShutBetween: async (db: Db, from: Date, to: Date): Promise<number> => {
    const r = await db
      .selectFrom('countermeasure')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('kind', '=', 'block_phone')
      .where('executed_at', '>=', from)
      .where('executed_at', '<', to)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};

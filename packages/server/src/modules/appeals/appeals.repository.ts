import type { AppealStatus } from '@fanzha/domain';
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { AppealEffectTable, AppealTable, DB } from '../../db/schema';
import { openRow, openRows, sealRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type AppealRow = Selectable<AppealTable>;
export type NewAppeal = Omit<Insertable<AppealTable>, 'subject_bidx'>;
export type AppealEffectRow = Selectable<AppealEffectTable>;

const columns = [
  'id',
  'seq',
  'reference',
  'subject_kind',
  'subject_value',
  'subject_bidx',
  'name',
  'contact_phone',
  'statement',
  'status',
  'filed_at',
  'due_at',
  'overdue_at',
  'recommendation',
  'recommendation_reason',
  'reviewed_by',
  'reviewed_at',
  'decided_by',
  'decision_reason',
  'decided_at',
  'effects',
  'idempotency_key',
  'body_hash',
  'subject_bank_code',
  'reviewed_role',
  'notice_status',
  'notice_attempts',
  'notice_next_at',
  'notice_sent_at',
] as const satisfies ReadonlyArray<keyof AppealTable>;

export const OPEN_APPEAL_STATUSES: AppealStatus[] = ['filed', 'under_review'];

/** Decisions' notices owed and due: the notice sweep's idle look and what it takes share these conditions. */
const dueNotices = (db: Db, now: Date) =>
  db
    .selectFrom('appeal')
    .select('id')
    .where('notice_status', '=', 'pending')
    .where('notice_next_at', '<=', now);

/** The SQL of appeals (申诉): the appeal table only; personal fields sealed on write, opened on read. */
export const appealRepository = {
  /** Files one; false when its reference or idempotency key was taken meanwhile. */
  async insert(trx: Trx, row: NewAppeal): Promise<boolean> {
    const [sealed] = await sealRows(trx, 'appeal', [row]);
    const r = await trx
      .insertInto('appeal')
      .values(sealed as Insertable<AppealTable>)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  },

  byKey: async (db: Db, key: string) =>
    openRow(
      db,
      'appeal',
      await db.selectFrom('appeal').select(columns).where('idempotency_key', '=', key).executeTakeFirst(),
    ),

  byReference: async (db: Db, reference: string) =>
    openRow(
      db,
      'appeal',
      await db.selectFrom('appeal').select(columns).where('reference', '=', reference).executeTakeFirst(),
    ),

  get: async (db: Db, id: string) =>
    openRow(
      db,
      'appeal',
      await db.selectFrom('appeal').select(columns).where('id', '=', id).executeTakeFirst(),
    ),

  lockByReference: async (trx: Trx, reference: string) =>
    openRow(
      trx,
      'appeal',
      await trx
        .selectFrom('appeal')
        .select(columns)
        .where('reference', '=', reference)
        .forUpdate()
        .executeTakeFirst(),
    ),

  lock: async (trx: Trx, id: string) =>
    openRow(
      trx,
      'appeal',
      await trx.selectFrom('appeal').select(columns).where('id', '=', id).forUpdate().executeTakeFirst(),
    ),

  /** A page in filing order (keyset on `seq`). */
  async list(db: Db, f: { statuses: AppealStatus[]; after?: string; limit: number }): Promise<AppealRow[]> {
    let q = db.selectFrom('appeal').select(columns).where('status', 'in', f.statuses);
    if (f.after) q = q.where('seq', '>', f.after);
    return openRows(
      db,
      'appeal',
      await q
        .orderBy('seq')
        .limit(f.limit + 1)
        .execute(),
    );
  },

  async update(trx: Trx, id: string, set: Updateable<AppealTable>): Promise<void> {
    await trx.updateTable('appeal').set(set).where('id', '=', id).execute();
  },

  /** Whether any open appeal is past its deadline and not yet escalated: the idle sweep's one statement. */
  hasOverdue: async (db: Db, now: Date): Promise<boolean> =>
    (await db
      .selectFrom('appeal')
      .select('id')
      .where('overdue_at', 'is', null)
      .where('status', 'in', OPEN_APPEAL_STATUSES)
      .where('due_at', '<=', now)
      .limit(1)
      .executeTakeFirst()) !== undefined,

  /**
   * Marks open appeals past their deadline as escalated, once each (two sweeps skip each other's), and returns
   * them.
   */
  markOverdue: (trx: Trx, now: Date, limit: number) =>
    trx
      .updateTable('appeal')
      .set({ overdue_at: now })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('appeal')
          .select('id')
          .where('overdue_at', 'is', null)
          .where('status', 'in', OPEN_APPEAL_STATUSES)
          .where('due_at', '<=', now)
          .orderBy('due_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'reference', 'subject_kind', 'due_at'])
      .execute(),

  /** Plans a grant's effects, once each (a target planned already is kept as it is). */
  async planEffects(trx: Trx, rows: Array<Insertable<AppealEffectTable>>): Promise<void> {
    if (rows.length === 0) return;
    await trx
      .insertInto('appeal_effect')
      .values(rows)
      .onConflict((oc) => oc.columns(['appeal_id', 'target']).doNothing())
      .execute();
  },

  effectsOf: (db: Db, appealIds: string[]): Promise<AppealEffectRow[]> =>
    appealIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('appeal_effect')
          .selectAll()
          .where('appeal_id', 'in', appealIds)
          .orderBy('created_at')
          .orderBy('target')
          .execute(),

  /** One effect not yet done (undefined once done: an attempt is then skipped). */
  effect: (db: Db, appealId: string, target: string) =>
    db
      .selectFrom('appeal_effect')
      .selectAll()
      .where('appeal_id', '=', appealId)
      .where('target', '=', target)
      .where('status', '<>', 'done')
      .executeTakeFirst(),

  /** Records an attempt or its progress; an effect done stays done (two attempts at once: the first wins). */
  async setEffect(trx: Trx, appealId: string, target: string, set: Updateable<AppealEffectTable>) {
    await trx
      .updateTable('appeal_effect')
      .set(set)
      .where('appeal_id', '=', appealId)
      .where('target', '=', target)
      .where('status', '<>', 'done')
      .execute();
  },

  /**
   * A freeze's release left for a second approver (`release_proposed`), followed to its end: the appeal's effect
   * on that freeze moves to `result`, once. Returns the effect when it moved.
   */
  followRelease: (trx: Trx, reference: string, target: string, result: string, now: Date) =>
    trx
      .updateTable('appeal_effect')
      .set({ result, updated_at: now })
      .where('appeal_id', '=', (eb) =>
        eb.selectFrom('appeal').select('id').where('reference', '=', reference),
      )
      .where('target', '=', target)
      .where('status', '=', 'done')
      .where('result', '=', 'release_proposed')
      .returning(['appeal_id', 'target', 'result'])
      .executeTakeFirst(),

  /** Whether any effect is due for another attempt: the idle retry sweep's one statement. */
  hasDueEffect: async (db: Db, now: Date): Promise<boolean> =>
    (await db
      .selectFrom('appeal_effect')
      .select('appeal_id')
      .where('status', '<>', 'done')
      .where('next_attempt_at', '<=', now)
      .limit(1)
      .executeTakeFirst()) !== undefined,

  dueEffects: (db: Db, now: Date, limit: number) =>
    db
      .selectFrom('appeal_effect')
      .select(['appeal_id', 'target'])
      .where('status', '<>', 'done')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute(),

  /** Whether any decision's notice is due for another attempt: the idle notice sweep's one statement. */
  hasDueNotice: async (db: Db, now: Date): Promise<boolean> =>
    (await dueNotices(db, now).limit(1).executeTakeFirst()) !== undefined,

  /**
   * Takes the notices due, moving each one's next attempt to `until` so that another sweep (another worker)
   * does not take it meanwhile; rows another sweep holds are skipped.
   */
  takeDueNotices: async (db: Db, now: Date, until: Date, limit: number): Promise<string[]> =>
    (
      await db
        .updateTable('appeal')
        .set({ notice_next_at: until })
        .where(
          'id',
          'in',
          dueNotices(db, now).orderBy('notice_next_at').limit(limit).forUpdate().skipLocked(),
        )
        .where('notice_status', '=', 'pending')
        .returning('id')
        .execute()
    ).map((r) => r.id),

  /** How an attempt at the notice went: sent, or tried again at `nextAt`. */
  async noticeAttempted(db: Db, id: string, outcome: { sentAt: Date } | { nextAt: Date }): Promise<void> {
    await db
      .updateTable('appeal')
      .set((eb) => ({
        notice_attempts: eb('notice_attempts', '+', 1),
        ...('sentAt' in outcome
          ? { notice_status: 'sent' as const, notice_next_at: null, notice_sent_at: outcome.sentAt }
          : { notice_next_at: outcome.nextAt }),
      }))
      .where('id', '=', id)
      .where('notice_status', '=', 'pending')
      .execute();
  },
};

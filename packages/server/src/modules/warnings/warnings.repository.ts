import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  DB,
  EpisodeContactTable,
  EpisodeEventTable,
  EpisodeTable,
  EpisodeWarningTable,
} from '../../db/schema';
import { fieldCipher, openRows, sealRows } from '../../platform/crypto/field-cipher';
import type { EpisodeCursor } from './warnings.cursor';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type EpisodeRow = Selectable<EpisodeTable>;
export type WarningRow = Omit<Selectable<EpisodeWarningTable>, 'seq'>;
export type ContactRow = Omit<Selectable<EpisodeContactTable>, 'seq'>;

const episodeColumns = [
  'id',
  'person_phone',
  'person_id_number',
  'person_name',
  'person_phone_bidx',
  'person_id_number_bidx',
  'county_code',
  'routed_by',
  'grade',
  'step',
  'ladder',
  'next_timer_at',
  'is_overdue',
  'warning_count',
  'opened_at',
  'last_warning_at',
  'taken_by',
  'taken_at',
  'close_reason',
  'closed_at',
  'intake_draft_wanted_at',
  'intake_report_id',
  'version',
  'updated_at',
] as const satisfies ReadonlyArray<keyof EpisodeTable>;

const warningColumns = [
  'id',
  'episode_id',
  'source',
  'signal_id',
  'signal_kind',
  'indicator_id',
  'indicator_kind',
  'indicator_value',
  'grade',
  'score',
  'factors',
  'amount_fen',
  'signal_at',
  'recorded_at',
] as const satisfies ReadonlyArray<keyof EpisodeWarningTable>;

const contactColumns = [
  'id',
  'episode_id',
  'step',
  'channel',
  'verification_code',
  'status',
  'created_at',
  'sent_at',
  'failure',
] as const satisfies ReadonlyArray<keyof EpisodeContactTable>;

/** What changes on an episode when a warning is listed, a timer fires or a person records a command. */
export interface EpisodeChange {
  id: string;
  grade: string;
  step: string;
  ladder: string;
  next_timer_at: Date | null;
  is_overdue: boolean;
  warning_count: number;
  last_warning_at: Date;
  close_reason: string | null;
  closed_at: Date | null;
  updated_at: Date;
}

const gradeRank = sql<number>`(case grade when 'high' then 2 when 'medium' then 1 else 0 end)`;
const openRank = sql<number>`(case when closed_at is null then 1 else 0 end)`;
const overdueRank = sql<number>`(case when is_overdue then 1 else 0 end)`;
// Oldest first inside a rank: the key descends everywhere, so one row comparison pages it.
const ageKey = sql<number>`(-extract(epoch from opened_at))`;

/** The queries the sweep runs every second, as builders (the query-plan test explains them). */
export const sweepQueries = {
  due: (db: Db, now: Date, limit: number) =>
    db
      .selectFrom('episode')
      .select(episodeColumns)
      .where('closed_at', 'is', null)
      .where('next_timer_at', '<=', now)
      .orderBy('next_timer_at')
      .limit(limit),
  pendingSends: (db: Db, limit: number) =>
    db
      .selectFrom('episode_contact')
      .select(contactColumns)
      .where('status', '=', 'pending')
      .where('channel', 'in', ['sms', 'robot_call'])
      .orderBy('created_at')
      .limit(limit),
};

/** Why a contact was withdrawn (its `failure`): the episode closed, and how, before it went out. */
export const withdrawalOf = (closeReason: string) => `episode closed (${closeReason}) before it was sent`;

/** The SQL of warning episodes; the only file of this module that knows the tables. */
export const warningsRepository = {
  /** Which of these signals are already listed (a redelivered batch). */
  async listedSignals(db: Db, keys: Array<{ source: string; signalId: string }>): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db
      .selectFrom('episode_warning')
      .select(['source', 'signal_id'])
      .where(
        sql<boolean>`(source, signal_id) in (${sql.join(keys.map((k) => sql`(${k.source}, ${k.signalId})`))})`,
      )
      .execute();
    return new Set(rows.map((r) => `${r.source}\0${r.signal_id}`));
  },

  /** The open episodes of these people (by blind index), locked for the merge, personal fields opened. */
  async lockOpenByPerson(trx: Trx, people: Array<{ phone: string | null; idNumber: string | null }>) {
    const cipher = await fieldCipher(trx);
    const phones = [
      ...new Set(
        people.flatMap((p) => (p.phone ? [cipher.blindIndex('episode.person_phone', p.phone)] : [])),
      ),
    ];
    const ids = [
      ...new Set(
        people.flatMap((p) =>
          p.idNumber ? [cipher.blindIndex('episode.person_id_number', p.idNumber)] : [],
        ),
      ),
    ];
    if (phones.length === 0 && ids.length === 0) return [];
    const rows = await trx
      .selectFrom('episode')
      .select(episodeColumns)
      .where('closed_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(phones.length > 0 ? [eb('person_phone_bidx', 'in', phones)] : []),
          ...(ids.length > 0 ? [eb('person_id_number_bidx', 'in', ids)] : []),
        ]),
      )
      .orderBy('id')
      .forUpdate()
      .execute();
    return openRows(trx, 'episode', rows);
  },

  /** Warnings of these episodes since `since`: the repeated-contact count of the grading. */
  recentWarnings: (db: Db, episodeIds: string[], since: Date) =>
    episodeIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('episode_warning')
          .select(['episode_id', 'source', 'signal_id', 'indicator_id', 'signal_kind', 'grade', 'signal_at'])
          .where('episode_id', 'in', episodeIds)
          .where('signal_at', '>=', since)
          .execute(),

  async insertEpisodes(trx: Trx, rows: Array<Insertable<EpisodeTable>>): Promise<void> {
    if (rows.length > 0)
      await trx
        .insertInto('episode')
        .values(await sealRows(trx, 'episode', rows))
        .execute();
  },

  /** Sets what a person's new signal adds to the episode (an ID number, a name), sealed. */
  async setPerson(
    trx: Trx,
    id: string,
    person: { person_id_number?: string | null; person_name?: string | null },
  ): Promise<void> {
    const sealed = (await fieldCipher(trx)).sealRow('episode', person, [id]);
    await trx.updateTable('episode').set(sealed).where('id', '=', id).execute();
  },

  /** One statement for any number of episodes. */
  async applyChanges(trx: Trx, changes: EpisodeChange[]): Promise<void> {
    if (changes.length === 0) return;
    const values = sql.join(
      changes.map(
        (c) =>
          sql`(${c.id}::uuid, ${c.grade}::text, ${c.step}::text, ${c.ladder}::jsonb, ${c.next_timer_at}::timestamptz,
            ${c.is_overdue}::boolean, ${c.warning_count}::integer, ${c.last_warning_at}::timestamptz,
            ${c.close_reason}::text, ${c.closed_at}::timestamptz, ${c.updated_at}::timestamptz)`,
      ),
    );
    await sql`
      update episode as e set grade = v.grade, step = v.step, ladder = v.ladder, next_timer_at = v.next_timer_at,
        is_overdue = v.is_overdue, warning_count = v.warning_count, last_warning_at = v.last_warning_at,
        close_reason = v.close_reason, closed_at = v.closed_at, updated_at = v.updated_at, version = e.version + 1
      from (values ${values}) as v(id, grade, step, ladder, next_timer_at, is_overdue, warning_count,
        last_warning_at, close_reason, closed_at, updated_at)
      where e.id = v.id`.execute(trx);
  },

  /** Lists the warnings; a signal already listed (a concurrent redelivery) is not, and is not returned. */
  async insertWarnings(trx: Trx, rows: Array<Insertable<EpisodeWarningTable>>): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await trx
      .insertInto('episode_warning')
      .values(rows)
      .onConflict((oc) => oc.columns(['source', 'signal_id']).doNothing())
      .returning('id')
      .execute();
    return inserted.length;
  },

  async insertContacts(trx: Trx, rows: Array<Insertable<EpisodeContactTable>>): Promise<void> {
    if (rows.length > 0) await trx.insertInto('episode_contact').values(rows).execute();
  },

  /** Episodes whose next timer is due, locked; another sweeping process skips them (and takes the next). */
  async lockDue(trx: Trx, now: Date, limit: number): Promise<EpisodeRow[]> {
    const rows = await sweepQueries.due(trx, now, limit).forUpdate().skipLocked().execute();
    return openRows(trx, 'episode', rows);
  },

  /**
   * What the sweep has to do at `now`, in one statement and no transaction: episodes whose timer is due,
   * contacts waiting for the messenger. The sweep runs every second in every worker and usually finds neither.
   */
  whatIsDue: (db: Db, now: Date) =>
    db
      .selectNoFrom((eb) => [
        eb.exists(sweepQueries.due(db, now, 1)).as('timers'),
        eb.exists(sweepQueries.pendingSends(db, 1)).as('sends'),
      ])
      .executeTakeFirstOrThrow(),

  /**
   * Messages and robot calls waiting for the messenger, locked, with the person's phone (opened) and whether
   * their episode has closed since (rows older code left pending at a close).
   */
  async lockPendingSends(trx: Trx, limit: number) {
    const contacts = await sweepQueries.pendingSends(trx, limit).forUpdate().skipLocked().execute();
    if (contacts.length === 0) return [];
    const episodes = await openRows(
      trx,
      'episode',
      await trx
        .selectFrom('episode')
        .select(['id', 'person_phone', 'grade', 'closed_at', 'close_reason'])
        .where('id', 'in', [...new Set(contacts.map((c) => c.episode_id))])
        .execute(),
    );
    const byId = new Map(episodes.map((e) => [e.id, e]));
    return contacts.map((c) => {
      const e = byId.get(c.episode_id);
      return {
        contact: c,
        phone: e?.person_phone ?? null,
        /** How the episode closed, if it has: its contacts are withdrawn, never sent. */
        closedAs: e?.closed_at ? (e.close_reason ?? 'closed') : null,
      };
    });
  },

  /**
   * Withdraws pending SMS and robot calls: `withdrawn`, never sent, the close's reason in `failure` — every one of
   * these closing episodes (`by: 'episode_id'`, in the close's transaction, which holds the episodes' locks; a
   * contact the sweep is sending meanwhile is waited for, and stays `sent`: it went out first), or these contacts
   * of episodes found closed (`by: 'id'`, the sweep's, already locked by it).
   */
  async withdrawPending(
    trx: Trx,
    by: 'episode_id' | 'id',
    items: Array<{ id: string; reason: string }>,
  ): Promise<void> {
    if (items.length === 0) return;
    const values = sql.join(items.map((c) => sql`(${c.id}::uuid, ${withdrawalOf(c.reason)}::text)`));
    await sql`update episode_contact as c set status = 'withdrawn', failure = v.failure
      from (values ${values}) as v(target, failure)
      where ${sql.ref(`c.${by}`)} = v.target and c.status = 'pending'`.execute(trx);
  },

  async markContacts(
    trx: Trx,
    results: Array<{ id: string; status: 'sent' | 'failed'; at: Date; failure: string | null }>,
  ): Promise<void> {
    for (const status of ['sent', 'failed'] as const) {
      const these = results.filter((r) => r.status === status);
      if (these.length === 0) continue;
      const values = sql.join(
        these.map((r) => sql`(${r.id}::uuid, ${r.at}::timestamptz, ${r.failure}::text)`),
      );
      await sql`update episode_contact as c set status = ${status}, sent_at = v.at, failure = v.failure
        from (values ${values}) as v(id, at, failure) where c.id = v.id and c.status = 'pending'`.execute(
        trx,
      );
    }
  },

  async lock(trx: Trx, id: string): Promise<EpisodeRow | undefined> {
    const row = await trx
      .selectFrom('episode')
      .select(episodeColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && (await openRows(trx, 'episode', [row]))[0];
  },

  async get(db: Db, id: string): Promise<EpisodeRow | undefined> {
    const row = await db.selectFrom('episode').select(episodeColumns).where('id', '=', id).executeTakeFirst();
    return row && (await openRows(db, 'episode', [row]))[0];
  },

  /** The episodes holding now (the ladder at `hold`): few, opened for their hold's bank and account. */
  async holding(db: Db): Promise<EpisodeRow[]> {
    const rows = await db
      .selectFrom('episode')
      .select(episodeColumns)
      .where('step', '=', 'hold')
      .where('closed_at', 'is', null)
      .execute();
    return openRows(db, 'episode', rows);
  },

  async byIds(db: Db, ids: string[]): Promise<EpisodeRow[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('episode').select(episodeColumns).where('id', 'in', ids).execute();
    return openRows(db, 'episode', rows);
  },

  warningsOf: (db: Db, episodeId: string): Promise<WarningRow[]> =>
    db
      .selectFrom('episode_warning')
      .select(warningColumns)
      .where('episode_id', '=', episodeId)
      .orderBy('signal_at')
      .orderBy('seq')
      .execute(),

  contactsOf: (db: Db, episodeId: string): Promise<ContactRow[]> =>
    db
      .selectFrom('episode_contact')
      .select(contactColumns)
      .where('episode_id', '=', episodeId)
      .orderBy('created_at')
      .orderBy('seq')
      .execute(),

  /** The console's page: filters, then the sort key below the cursor. */
  async list(
    db: Db,
    q: {
      countyCode?: string | undefined;
      isOpen: boolean;
      grade?: string | undefined;
      step?: string | undefined;
      isOverdue?: boolean | undefined;
      after?: EpisodeCursor | undefined;
      limit: number;
    },
  ): Promise<EpisodeRow[]> {
    let query = db
      .selectFrom('episode')
      .select(episodeColumns)
      .where('closed_at', q.isOpen ? 'is' : 'is not', null);
    if (q.countyCode !== undefined) query = query.where('county_code', '=', q.countyCode);
    if (q.grade) query = query.where('grade', '=', q.grade as EpisodeRow['grade']);
    if (q.step) query = query.where('step', '=', q.step);
    if (q.isOverdue !== undefined) query = query.where('is_overdue', '=', q.isOverdue);
    if (q.after) {
      const a = q.after;
      query = query.where(
        sql<boolean>`(${openRank}, ${gradeRank}, ${overdueRank}, ${ageKey}, id) <
          (${a.isOpen ? 1 : 0}::integer, ${a.gradeRank}::integer, ${a.isOverdue ? 1 : 0}::integer,
           ${-a.openedAt.getTime() / 1000}::numeric, ${a.id}::uuid)`,
      );
    }
    const rows = await query
      .orderBy(openRank, 'desc')
      .orderBy(gradeRank, 'desc')
      .orderBy(overdueRank, 'desc')
      .orderBy(ageKey, 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit)
      .execute();
    return openRows(db, 'episode', rows);
  },

  async take(trx: Trx, id: string, userId: string, at: Date): Promise<void> {
    await trx
      .updateTable('episode')
      .set({ taken_by: userId, taken_at: at, updated_at: at, version: sql`version + 1` })
      .where('id', '=', id)
      .execute();
  },

  async markIntakeDraftWanted(trx: Trx, id: string, at: Date): Promise<void> {
    await trx
      .updateTable('episode')
      .set({ intake_draft_wanted_at: at })
      .where('id', '=', id)
      .where('intake_draft_wanted_at', 'is', null)
      .execute();
  },

  /** A person's command, once per idempotency key: false when the key was seen on this episode already. */
  async recordEvent(trx: Trx, row: Insertable<EpisodeEventTable>): Promise<boolean> {
    const inserted = await trx
      .insertInto('episode_event')
      .values(row)
      .onConflict((oc) => oc.columns(['episode_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  },

  /**
   * The command an idempotency key was first used for on the episode: the hash of its request (null for
   * one recorded before requests were hashed), or undefined when the key is new.
   */
  requestHashOfKey: async (
    db: Db,
    episodeId: string,
    key: string,
  ): Promise<{ requestHash: string | null } | undefined> =>
    db
      .selectFrom('episode_event')
      .select(sql<string | null>`details->>'requestHash'`.as('requestHash'))
      .where('episode_id', '=', episodeId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst(),

  /** The last command a person recorded on the episode. */
  lastEvent: (db: Db, episodeId: string) =>
    db
      .selectFrom('episode_event')
      .select(['event', 'step', 'by_user', 'at'])
      .where('episode_id', '=', episodeId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),

  /** The banks whose transfer signals are listed in the episode (`bank:<code>` sources), in code order. */
  signalBanks: async (db: Db, episodeId: string): Promise<string[]> =>
    (
      await db
        .selectFrom('episode_warning')
        .select('source')
        .distinct()
        .where('episode_id', '=', episodeId)
        .where('source', 'like', 'bank:%')
        .orderBy('source')
        .execute()
    ).map((r) => r.source.slice('bank:'.length)),

  /** Marks the episode changed (a new version for the consoles) and returns it as it now stands. */
  async touch(trx: Trx, id: string, at: Date): Promise<EpisodeRow> {
    const row = await trx
      .updateTable('episode')
      .set({ updated_at: at, version: sql`version + 1` })
      .where('id', '=', id)
      .returning(episodeColumns)
      .executeTakeFirstOrThrow();
    return (await openRows(trx, 'episode', [row]))[0]!;
  },

  /** The contact a verification code names: when and how, nothing of the person. */
  byCode: (db: Db, code: string) =>
    db
      .selectFrom('episode_contact')
      .select(['channel', 'created_at', 'sent_at', 'status'])
      .where('verification_code', '=', code)
      .executeTakeFirst(),
};

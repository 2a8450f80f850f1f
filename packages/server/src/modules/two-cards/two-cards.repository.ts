import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, TwoCardHolderTable, TwoCardMeasureTable, TwoCardTable } from '../../db/schema';
import { fieldCipher, openRows, sealRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type HolderRow = Selectable<TwoCardHolderTable>;
export type CardRow = Selectable<TwoCardTable>;
export type MeasureRow = Selectable<TwoCardMeasureTable>;

const holderColumns = [
  'id',
  'id_number',
  'id_number_bidx',
  'county_code',
  'hand_off_county_code',
  'hand_off_due_at',
  'handed_off_at',
  'created_at',
  'updated_at',
] as const;
const cardColumns = [
  'id',
  'kind',
  'number',
  'institution',
  'place_code',
  'place_name',
  'opened_on',
  'holder_id',
  'first_seen_at',
  'updated_at',
] as const;
const measureColumns = [
  'id',
  'holder_id',
  'kind',
  'starts_at',
  'ends_at',
  'reason',
  'deciding_unit',
  'created_by',
  'created_at',
  'lifted_at',
  'lifted_by',
  'lift_reason',
  'idempotency_key',
] as const;

/** A card as a source names it: found in a case (no holder, no place) or imported (with both). */
export type CardWrite = Omit<Insertable<TwoCardTable>, 'updated_at' | 'first_seen_at'>;
/** A card as a case shows it: no holder, place or opening date (an import brings those). */
export interface CardSeen {
  id: string;
  kind: 'bank' | 'sim';
  number: string;
  institution: string;
}

/** Counts per holder: their cards, the distinct cases, the measures in force now. */
export interface HolderCounts {
  holder_id: string;
  card_count: number;
  case_count: number;
  measures_in_force: number;
}

export interface LeagueRowData {
  institution: string;
  place_code: string | null;
  place_name: string | null;
  card_count: number;
  holder_count: number;
  case_count: number;
}

export const twoCardsRepository = {
  /**
   * The holders of these ID numbers (normal form), made when new: found by the blind index, the number
   * sealed. Returns holder id by ID number.
   */
  async holdersFor(
    trx: Trx,
    people: Array<{ id: string; idNumber: string; countyCode: string | null }>,
    at: Date,
  ): Promise<{ ids: Map<string, string>; created: number }> {
    if (people.length === 0) return { ids: new Map(), created: 0 };
    const cipher = await fieldCipher(trx);
    const byIndex = new Map(
      people.map((p) => [cipher.blindIndex('two_card_holder.id_number', p.idNumber), p]),
    );
    const rows = await sealRows(
      trx,
      'two_card_holder',
      [...byIndex.values()]
        .sort((a, b) => (a.idNumber < b.idNumber ? -1 : 1))
        .map((p) => ({
          id: p.id,
          id_number: p.idNumber,
          county_code: p.countyCode,
          created_at: at,
          updated_at: at,
        })),
    );
    const inserted = await trx
      .insertInto('two_card_holder')
      .values(rows as Array<Insertable<TwoCardHolderTable>>)
      .onConflict((oc) => oc.column('id_number_bidx').doNothing())
      .returning('id')
      .execute();
    const found = await trx
      .selectFrom('two_card_holder')
      .select(['id', 'id_number_bidx'])
      .where('id_number_bidx', 'in', [...byIndex.keys()])
      .execute();
    const ids = new Map(found.map((r) => [byIndex.get(r.id_number_bidx)!.idNumber, r.id]));
    return { ids, created: inserted.length };
  },

  /** Cards found in cases: made when new, never changed (an import knows more than a case). */
  async cardsSeen(trx: Trx, cards: CardSeen[], at: Date): Promise<Map<string, string>> {
    if (cards.length === 0) return new Map();
    // Arrays through unnest: one statement text (prepared once) whatever the number of cards, rows in the
    // caller's order.
    await sql`
      insert into two_card (id, kind, number, institution, first_seen_at, updated_at)
      select v.id, v.kind, v.number, v.institution, ${at}, ${at}
      from unnest(
        ${cards.map((c) => c.id)}::uuid[],
        ${cards.map((c) => c.kind)}::text[],
        ${cards.map((c) => c.number)}::text[],
        ${cards.map((c) => c.institution)}::text[]
      ) with ordinality as v(id, kind, number, institution, n)
      order by v.n
      on conflict (kind, number) do nothing`.execute(trx);
    // A second statement, so a card another batch committed while this one waited on it is seen too.
    return this.cardIds(trx, cards);
  },

  /** Of these cards, those whose holder is still unknown. */
  async unheldCards(db: Db, cardIds: string[]): Promise<Set<string>> {
    if (cardIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('two_card')
      .select('id')
      .where('id', '=', sql<string>`any(${cardIds}::uuid[])`)
      .where('holder_id', 'is', null)
      .execute();
    return new Set(rows.map((r) => r.id));
  },

  /**
   * Holders a bank's answer names for its cards: set only on a card whose holder is still unknown, so an
   * import's (or an earlier answer's) holder stays. Returns how many cards took a holder.
   */
  async holdersNamed(
    trx: Trx,
    pairs: Array<{ cardId: string; holderId: string }>,
    at: Date,
  ): Promise<number> {
    if (pairs.length === 0) return 0;
    // One statement; the cards are locked first, in card order, so two batches lock in one order.
    const named = await sql<{ id: string }>`
      with locked as (
        select c.id, v.holder_id
        from two_card c
        join unnest(${pairs.map((p) => p.cardId)}::uuid[], ${pairs.map((p) => p.holderId)}::uuid[])
          as v(card_id, holder_id) on v.card_id = c.id
        where c.holder_id is null
        order by c.id
        for update of c
      )
      update two_card c set holder_id = locked.holder_id, updated_at = ${at}
      from locked
      where c.id = locked.id and c.holder_id is null
      returning c.id`.execute(trx);
    return named.rows.length;
  },

  /** Imported cards: made when new; a known one takes the import's holder, place and date. */
  async cardsImported(trx: Trx, cards: CardWrite[], at: Date): Promise<{ created: number; updated: number }> {
    if (cards.length === 0) return { created: 0, updated: 0 };
    const rows = await trx
      .insertInto('two_card')
      .values(cards.map((c) => ({ ...c, first_seen_at: at, updated_at: at })))
      .onConflict((oc) =>
        oc.columns(['kind', 'number']).doUpdateSet((eb) => ({
          institution: eb.ref('excluded.institution'),
          place_code: eb.ref('excluded.place_code'),
          place_name: eb.ref('excluded.place_name'),
          opened_on: eb.ref('excluded.opened_on'),
          holder_id: eb.ref('excluded.holder_id'),
          updated_at: at,
        })),
      )
      // xmax is 0 on a row this statement inserted, set on one it updated.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    const created = rows.filter((r) => r.inserted).length;
    return { created, updated: rows.length - created };
  },

  async cardIds(
    db: Db,
    cards: Array<{ kind: 'bank' | 'sim'; number: string }>,
  ): Promise<Map<string, string>> {
    if (cards.length === 0) return new Map();
    // A join on the unique (kind, number) index; one statement text whatever the number of cards.
    const rows = await sql<{ id: string; kind: string; number: string }>`
      select c.id, c.kind, c.number
      from unnest(${cards.map((c) => c.kind)}::text[], ${cards.map((c) => c.number)}::text[]) as k(kind, number)
      join two_card c on c.kind = k.kind and c.number = k.number`.execute(db);
    return new Map(rows.rows.map((r) => [`${r.kind}:${r.number}`, r.id]));
  },

  /** The cases the cards were found in, once per card and case. Returns how many were new. */
  async casesSeen(
    trx: Trx,
    rows: Array<{
      card_id: string;
      report_id: string;
      source_kind: 'report' | 'bank_answer';
      source_id: string;
    }>,
    at: Date,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const added = await sql<{ card_id: string }>`
      insert into two_card_case (card_id, report_id, source_kind, source_id, seen_at)
      select v.card_id, v.report_id, v.source_kind, v.source_id, ${at}
      from unnest(
        ${rows.map((r) => r.card_id)}::uuid[],
        ${rows.map((r) => r.report_id)}::uuid[],
        ${rows.map((r) => r.source_kind)}::text[],
        ${rows.map((r) => r.source_id)}::text[]
      ) with ordinality as v(card_id, report_id, source_kind, source_id, n)
      order by v.n
      on conflict (card_id, report_id) do nothing
      returning card_id`.execute(trx);
    return added.rows.length;
  },

  /** Holders with their counts, most cases first. */
  async holderCounts(db: Db, opts: { minCases: number; limit: number; ids?: string[]; at: Date }) {
    let q = db
      .selectFrom('two_card as c')
      .innerJoin('two_card_holder as h', 'h.id', 'c.holder_id')
      .leftJoin('two_card_case as k', 'k.card_id', 'c.id')
      .select((eb) => [
        'h.id as holder_id',
        eb.fn.count<string>(sql`distinct c.id`).as('card_count'),
        eb.fn.count<string>(sql`distinct k.report_id`).as('case_count'),
        eb
          .selectFrom('two_card_measure as m')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('m.holder_id', '=', 'h.id')
          .where('m.lifted_at', 'is', null)
          .where('m.starts_at', '<=', opts.at)
          .where('m.ends_at', '>', opts.at)
          .as('measures_in_force'),
      ])
      .groupBy('h.id');
    if (opts.ids) q = q.where('h.id', 'in', opts.ids.length > 0 ? opts.ids : [sql<string>`null`]);
    const rows = await q
      .having(sql<boolean>`count(distinct k.report_id) >= ${opts.minCases}`)
      .orderBy('case_count', 'desc')
      .orderBy('card_count', 'desc')
      .orderBy('h.id')
      .limit(opts.limit)
      .execute();
    return rows.map((r): HolderCounts => ({
      holder_id: r.holder_id,
      card_count: Number(r.card_count),
      case_count: Number(r.case_count),
      measures_in_force: Number(r.measures_in_force ?? 0),
    }));
  },

  /** The holder of an ID number (normal form), found by its blind index; undefined when none. */
  async holderIdByIdNumber(db: Db, idNumber: string): Promise<string | undefined> {
    const cipher = await fieldCipher(db);
    const r = await db
      .selectFrom('two_card_holder')
      .select('id')
      .where('id_number_bidx', '=', cipher.blindIndex('two_card_holder.id_number', idNumber))
      .executeTakeFirst();
    return r?.id;
  },

  async holders(db: Db, ids: string[]): Promise<HolderRow[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('two_card_holder')
      .select(holderColumns)
      .where('id', 'in', ids)
      .execute();
    return openRows(db, 'two_card_holder', rows);
  },

  async cardsOfHolder(db: Db, holderId: string): Promise<CardRow[]> {
    return db
      .selectFrom('two_card')
      .select(cardColumns)
      .where('holder_id', '=', holderId)
      .orderBy('first_seen_at')
      .orderBy('id')
      .execute();
  },

  async casesOfCards(db: Db, cardIds: string[]) {
    if (cardIds.length === 0) return [];
    return db
      .selectFrom('two_card_case')
      .select(['card_id', 'report_id', 'seen_at'])
      .where('card_id', 'in', cardIds)
      .orderBy('seen_at')
      .orderBy('report_id')
      .execute();
  },

  async card(db: Db, kind: 'bank' | 'sim', number: string): Promise<CardRow | undefined> {
    return db
      .selectFrom('two_card')
      .select(cardColumns)
      .where('kind', '=', kind)
      .where('number', '=', number)
      .executeTakeFirst();
  },

  /** Where the cards were opened: per institution and branch or outlet, most cards first. */
  async league(
    db: Db,
    opts: { kind: 'bank' | 'sim'; institution: string | null; limit: number },
  ): Promise<LeagueRowData[]> {
    let q = db
      .selectFrom('two_card as c')
      .leftJoin('two_card_case as k', 'k.card_id', 'c.id')
      .select((eb) => [
        'c.institution',
        'c.place_code',
        'c.place_name',
        eb.fn.count<string>(sql`distinct c.id`).as('card_count'),
        eb.fn.count<string>(sql`distinct c.holder_id`).as('holder_count'),
        eb.fn.count<string>(sql`distinct k.report_id`).as('case_count'),
      ])
      .where('c.kind', '=', opts.kind);
    if (opts.institution !== null) q = q.where('c.institution', '=', opts.institution);
    const rows = await q
      .groupBy(['c.institution', 'c.place_code', 'c.place_name'])
      .orderBy('card_count', 'desc')
      .orderBy('c.institution')
      .orderBy('c.place_code')
      .orderBy('c.place_name')
      .limit(opts.limit)
      .execute();
    return rows.map((r) => ({
      institution: r.institution,
      place_code: r.place_code,
      place_name: r.place_name,
      card_count: Number(r.card_count),
      holder_count: Number(r.holder_count),
      case_count: Number(r.case_count),
    }));
  },

  async setHandOff(
    trx: Trx,
    id: string,
    v: { hand_off_county_code: string; hand_off_due_at: Date; handed_off_at: Date },
  ): Promise<void> {
    await trx
      .updateTable('two_card_holder')
      .set({ ...v, updated_at: v.handed_off_at })
      .where('id', '=', id)
      .execute();
  },

  async lockHolder(trx: Trx, id: string): Promise<HolderRow | undefined> {
    const row = await trx
      .selectFrom('two_card_holder')
      .select(holderColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && (await openRows(trx, 'two_card_holder', [row]))[0];
  },

  async insertMeasure(trx: Trx, row: Insertable<TwoCardMeasureTable>): Promise<MeasureRow> {
    return trx.insertInto('two_card_measure').values(row).returning(measureColumns).executeTakeFirstOrThrow();
  },

  async measureByKey(db: Db, key: string): Promise<MeasureRow | undefined> {
    return db
      .selectFrom('two_card_measure')
      .select(measureColumns)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  },

  async lockMeasure(trx: Trx, id: string): Promise<MeasureRow | undefined> {
    return trx
      .selectFrom('two_card_measure')
      .select(measureColumns)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  },

  async liftMeasure(
    trx: Trx,
    id: string,
    v: { lifted_at: Date; lifted_by: string; lift_reason: string },
  ): Promise<MeasureRow> {
    return trx
      .updateTable('two_card_measure')
      .set(v)
      .where('id', '=', id)
      .returning(measureColumns)
      .executeTakeFirstOrThrow();
  },

  /**
   * Locks these holders, in id order, as recording a measure does (`lockHolder`): a card named for a holder and a
   * measure recorded against them at once see each other, whichever commits first.
   */
  async lockHolders(trx: Trx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await trx
      .selectFrom('two_card_holder')
      .select('id')
      .where('id', 'in', ids)
      .orderBy('id')
      .forUpdate()
      .execute();
  },

  /** The measures of these holders not lifted and not ended at `at` (pending or in force), oldest first. */
  async liveMeasuresOf(db: Db, holderIds: string[], at: Date): Promise<MeasureRow[]> {
    if (holderIds.length === 0) return [];
    return db
      .selectFrom('two_card_measure')
      .select(measureColumns)
      .where('holder_id', 'in', holderIds)
      .where('lifted_at', 'is', null)
      .where('ends_at', '>', at)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },

  /** Measures, the latest started first; by holder and by state at `at` when asked. */
  async measures(
    db: Db,
    opts: { holderId?: string; state?: 'pending' | 'in_force' | 'ended' | 'lifted'; at: Date; limit: number },
  ): Promise<MeasureRow[]> {
    let q = db.selectFrom('two_card_measure').select(measureColumns);
    if (opts.holderId) q = q.where('holder_id', '=', opts.holderId);
    const at = opts.at;
    if (opts.state === 'lifted') q = q.where('lifted_at', 'is not', null).where('lifted_at', '<=', at);
    else if (opts.state) {
      q = q.where((eb) => eb.or([eb('lifted_at', 'is', null), eb('lifted_at', '>', at)]));
      if (opts.state === 'pending') q = q.where('starts_at', '>', at);
      if (opts.state === 'in_force') q = q.where('starts_at', '<=', at).where('ends_at', '>', at);
      if (opts.state === 'ended') q = q.where('ends_at', '<=', at);
    }
    return q.orderBy('starts_at', 'desc').orderBy('id').limit(opts.limit).execute();
  },
};

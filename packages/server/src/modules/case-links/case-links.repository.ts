import type { LinkCandidate, LinkKind, ReportLink } from '@fanzha/domain';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ClusterEventTable, ClusterTable, DB } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type ClusterRow = Selectable<ClusterTable>;
export type ClusterEventRow = Selectable<ClusterEventTable>;

export const clusterColumns = [
  'id',
  'status',
  'report_count',
  'merged_into',
  'alerted_at',
  'hand_off_unit_kind',
  'hand_off_unit_code',
  'hand_off_due_at',
  'handed_off_at',
  'created_at',
  'updated_at',
] as const;
const eventColumns = [
  'id',
  'seq',
  'cluster_id',
  'kind',
  'at',
  'actor_id',
  'reason',
  'details',
  'idempotency_key',
] as const;

/** Rows per multi-row insert (at most six bound parameters each). */
const CHUNK = 5_000;
const chunks = <T>(rows: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
};

const num = (r: ClusterRow): ClusterRow => ({ ...r, report_count: Number(r.report_count) });

export interface ValueRow {
  kind: LinkKind;
  value: string;
  report_id: string;
  layer: number | null;
}

export interface NewEvent {
  id: string;
  cluster_id: string;
  kind: string;
  at: Date;
  actor_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  idempotency_key: string | null;
}

/**
 * The linker's one look-up for a report: for each of its values, the reports naming it (at most `perValue`,
 * read from the primary key's index of link_value), their cluster and its count, and the link already recorded
 * between each and the report (a severed one stays severed). Exported for the query-plan test.
 */
export function candidatesQuery(
  reportId: string,
  values: ReadonlyArray<{ kind: LinkKind; value: string }>,
  perValue: number,
) {
  const keys = sql.join(values.map((v) => sql`(${v.kind}::text, ${v.value}::text)`));
  return sql<{
    kind: LinkKind;
    value: string;
    report_id: string;
    cluster_id: string | null;
    report_count: number | string | null;
    handed_off_at: Date | null;
    alerted: boolean | null;
    link_status: 'active' | 'severed' | null;
  }>`
    select k.kind, k.value, v.report_id, cr.cluster_id, c.report_count,
      case when c.status = 'handed_off' then c.handed_off_at end as handed_off_at, c.alerted_at is not null as alerted,
      l.status as link_status
    from (values ${keys}) as k (kind, value)
    cross join lateral (
      select lv.report_id from link_value lv
      where lv.kind = k.kind and lv.value = k.value
      order by lv.kind, lv.value, lv.report_id
      limit ${perValue}
    ) v
    left join cluster_report cr on cr.report_id = v.report_id
    left join cluster c on c.id = cr.cluster_id
    left join report_link l
      on l.report_a = least(v.report_id, ${reportId}::uuid)
      and l.report_b = greatest(v.report_id, ${reportId}::uuid)
      and l.kind = k.kind and l.value = k.value`;
}

/** The linker's writes and the decisions' (all in the caller's transaction). */
export const caseLinkWrites = {
  /**
   * Serialises linkers: two workers linking reports that share a value at once would each make a cluster.
   * Held to the end of the transaction; one statement per batch.
   */
  async lockLinker(trx: Trx): Promise<void> {
    await sql`select pg_advisory_xact_lock(${LINKER_LOCK})`.execute(trx);
  },

  /** Adds values to the index; a value a report already named stays as it was (its first layer). */
  async insertValues(trx: Trx, rows: readonly ValueRow[], at: Date): Promise<void> {
    for (const part of chunks(rows))
      await trx
        .insertInto('link_value')
        .values(part.map((r) => ({ ...r, seen_at: at })))
        .onConflict((oc) => oc.columns(['kind', 'value', 'report_id']).doNothing())
        .execute();
  },

  /**
   * The reports naming each of these values (at most `perValue` each, by the primary key's index), with their
   * cluster and the link already recorded between each and `reportId`: one statement.
   */
  async candidates(
    trx: Db,
    reportId: string,
    values: ReadonlyArray<{ kind: LinkKind; value: string }>,
    perValue: number,
  ): Promise<{ candidates: LinkCandidate[]; alerted: Set<string> }> {
    if (values.length === 0) return { candidates: [], alerted: new Set() };
    const rows = await candidatesQuery(reportId, values, perValue).execute(trx);
    return {
      candidates: rows.rows.map((r) => ({
        kind: r.kind,
        value: r.value,
        reportId: r.report_id,
        clusterId: r.cluster_id,
        clusterReports: Number(r.report_count ?? 0),
        clusterHandedOffAt: r.handed_off_at,
        linkStatus: r.link_status,
      })),
      alerted: new Set(rows.rows.flatMap((r) => (r.alerted && r.cluster_id ? [r.cluster_id] : []))),
    };
  },

  /**
   * The writes of one linked report's plan in one statement (data-modifying CTEs): its links, the cluster made
   * or grown, the clusters it absorbs (and their reports moved), the reports placed, the history. Returns the
   * cluster, then the absorbed ones.
   */
  async writePlan(
    trx: Trx,
    p: {
      cluster:
        { insert: ClusterRow } | { update: { id: string; reportCount: number; alertedAt: Date | null } };
      links: readonly ReportLink[];
      place: readonly string[];
      absorb: readonly string[];
      events: readonly NewEvent[];
      at: Date;
    },
  ): Promise<ClusterRow[]> {
    const cols = sql.raw(clusterColumns.join(', '));
    const at = sql`${p.at}::timestamptz`;
    const id = 'insert' in p.cluster ? p.cluster.insert.id : p.cluster.update.id;
    const ctes = [];
    if ('insert' in p.cluster) {
      const r = p.cluster.insert;
      ctes.push(sql`c as (insert into cluster (${cols}) values (${r.id}::uuid, ${r.status}, ${r.report_count}::int,
        null, ${r.alerted_at}::timestamptz, null, null, null, null, ${at}, ${at}) returning ${cols})`);
    } else {
      const u = p.cluster.update;
      ctes.push(sql`c as (update cluster set report_count = ${u.reportCount}::int, updated_at = ${at},
        alerted_at = coalesce(alerted_at, ${u.alertedAt}::timestamptz) where id = ${u.id}::uuid returning ${cols})`);
    }
    if (p.links.length > 0)
      ctes.push(
        sql`l as (insert into report_link (report_a, report_b, kind, value, status, linked_at) values ${sql.join(
          p.links.map((l) => sql`(${l.a}::uuid, ${l.b}::uuid, ${l.kind}, ${l.value}, 'active', ${at})`),
        )} on conflict do nothing)`,
      );
    if (p.absorb.length > 0) {
      const ids = sql.join(p.absorb.map((a) => sql`${a}::uuid`));
      ctes.push(sql`m as (update cluster_report set cluster_id = ${id}::uuid where cluster_id in (${ids}))`);
      ctes.push(sql`a as (update cluster set status = 'merged', merged_into = ${id}::uuid, report_count = 0,
        updated_at = ${at} where id in (${ids}) returning ${cols})`);
    }
    if (p.place.length > 0)
      ctes.push(
        sql`p as (insert into cluster_report (report_id, cluster_id, joined_at) values ${sql.join(
          p.place.map((r) => sql`(${r}::uuid, ${id}::uuid, ${at})`),
        )} on conflict (report_id) do update set cluster_id = excluded.cluster_id)`,
      );
    if (p.events.length > 0)
      ctes.push(sql`e as (insert into cluster_event (id, cluster_id, kind, at, actor_id, reason, details, idempotency_key)
        values ${sql.join(
          p.events.map(
            (e) =>
              sql`(${e.id}::uuid, ${e.cluster_id}::uuid, ${e.kind}, ${e.at}::timestamptz, ${e.actor_id}::uuid, ${e.reason}, ${JSON.stringify(e.details)}::jsonb, ${e.idempotency_key})`,
          ),
        )})`);
    const rows = await sql<ClusterRow & { ord: number }>`with ${sql.join(ctes)}
      select ${cols}, 0 as ord from c ${p.absorb.length > 0 ? sql`union all select ${cols}, 1 as ord from a` : sql``}`.execute(
      trx,
    );
    return rows.rows.sort((x, y) => Number(x.ord) - Number(y.ord)).map(({ ord: _ord, ...r }) => num(r));
  },

  async insertLinks(trx: Trx, links: readonly ReportLink[], at: Date): Promise<void> {
    for (const part of chunks(links))
      await trx
        .insertInto('report_link')
        .values(
          part.map((l) => ({
            report_a: l.a,
            report_b: l.b,
            kind: l.kind,
            value: l.value,
            status: 'active' as const,
            linked_at: at,
            severed_at: null,
          })),
        )
        .onConflict((oc) => oc.columns(['report_a', 'report_b', 'kind', 'value']).doNothing())
        .execute();
  },

  async severLinks(trx: Trx, links: readonly ReportLink[], at: Date): Promise<void> {
    if (links.length === 0) return;
    await trx
      .updateTable('report_link')
      .set({ status: 'severed', severed_at: at })
      .where((eb) =>
        eb.or(
          links.map((l) =>
            eb.and([
              eb('report_a', '=', l.a),
              eb('report_b', '=', l.b),
              eb('kind', '=', l.kind),
              eb('value', '=', l.value),
            ]),
          ),
        ),
      )
      .execute();
  },

  async insertCluster(trx: Trx, row: ClusterRow): Promise<void> {
    await trx.insertInto('cluster').values(row).execute();
  },

  async updateCluster(trx: Trx, id: string, set: Partial<Omit<ClusterRow, 'id'>>): Promise<ClusterRow> {
    return num(
      await trx
        .updateTable('cluster')
        .set(set)
        .where('id', '=', id)
        .returning(clusterColumns)
        .executeTakeFirstOrThrow(),
    );
  },

  /** Marks clusters merged into `survivor` and moves their reports to it. */
  async absorb(trx: Trx, survivor: string, absorbed: readonly string[], at: Date): Promise<ClusterRow[]> {
    if (absorbed.length === 0) return [];
    await trx
      .updateTable('cluster_report')
      .set({ cluster_id: survivor })
      .where('cluster_id', 'in', [...absorbed])
      .execute();
    return (
      await trx
        .updateTable('cluster')
        .set({ status: 'merged', merged_into: survivor, report_count: 0, updated_at: at })
        .where('id', 'in', [...absorbed])
        .returning(clusterColumns)
        .execute()
    ).map(num);
  },

  /** Puts reports in a cluster (moving them from any other). */
  async placeReports(trx: Trx, clusterId: string, reportIds: readonly string[], at: Date): Promise<void> {
    for (const part of chunks(reportIds))
      await trx
        .insertInto('cluster_report')
        .values(part.map((report_id) => ({ report_id, cluster_id: clusterId, joined_at: at })))
        .onConflict((oc) =>
          oc.column('report_id').doUpdateSet((eb) => ({ cluster_id: eb.ref('excluded.cluster_id') })),
        )
        .execute();
  },

  async unplaceReports(trx: Trx, reportIds: readonly string[]): Promise<void> {
    if (reportIds.length === 0) return;
    await trx
      .deleteFrom('cluster_report')
      .where('report_id', 'in', [...reportIds])
      .execute();
  },

  async insertEvents(trx: Trx, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await trx
      .insertInto('cluster_event')
      .values(events.map((e) => ({ ...e, details: JSON.stringify(e.details) })))
      .execute();
  },

  async lockClusters(trx: Trx, ids: readonly string[]): Promise<ClusterRow[]> {
    if (ids.length === 0) return [];
    return (
      await trx
        .selectFrom('cluster')
        .select(clusterColumns)
        .where('id', 'in', [...ids])
        .orderBy('id')
        .forUpdate()
        .execute()
    ).map(num);
  },

  async eventByKey(trx: Db, key: string): Promise<ClusterEventRow | undefined> {
    return trx
      .selectFrom('cluster_event')
      .select(eventColumns)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  },
};

/** The advisory lock's number: the linker's (any constant no other module uses). */
const LINKER_LOCK = 7_301_030;

export interface ListFilter {
  status?: ClusterRow['status'];
  alerted?: boolean;
  minReports?: number;
  after?: { updatedAt: Date; id: string };
  limit: number;
}

/** Reads (the API's and the case pack's). */
export const caseLinkQueries = {
  async get(db: Db, id: string): Promise<ClusterRow | undefined> {
    const r = await db.selectFrom('cluster').select(clusterColumns).where('id', '=', id).executeTakeFirst();
    return r && num(r);
  },

  /** Newest change first, keyset paged on (updated_at, id) — the `cluster_recent` index. */
  async list(db: Db, f: ListFilter): Promise<ClusterRow[]> {
    let q = db.selectFrom('cluster').select(clusterColumns);
    q = f.status ? q.where('status', '=', f.status) : q.where('status', '<>', 'merged');
    if (f.alerted !== undefined) q = q.where('alerted_at', f.alerted ? 'is not' : 'is', null);
    if (f.minReports !== undefined) q = q.where('report_count', '>=', f.minReports);
    if (f.after) {
      const { updatedAt, id } = f.after;
      q = q.where((eb) =>
        eb.or([
          eb('updated_at', '<', updatedAt),
          eb.and([eb('updated_at', '=', updatedAt), eb('id', '<', id)]),
        ]),
      );
    }
    return (await q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute()).map(num);
  },

  /** The members of these clusters as (group_id, report_id): not run, for the case module's figures. */
  membersOf(db: Db, clusterIds: readonly string[]) {
    return db
      .selectFrom('cluster_report')
      .select(['cluster_id as group_id', 'report_id'])
      .where('cluster_id', 'in', [...clusterIds]);
  },

  async memberIds(db: Db, clusterId: string): Promise<string[]> {
    return (
      await db
        .selectFrom('cluster_report')
        .select('report_id')
        .where('cluster_id', '=', clusterId)
        .orderBy('report_id')
        .execute()
    ).map((r) => r.report_id);
  },

  /** The links touching these reports (both ends' links, active and severed). */
  async links(db: Db, reportIds: readonly string[]) {
    if (reportIds.length === 0) return [];
    const ids = [...reportIds];
    return db
      .selectFrom('report_link')
      .select(['report_a', 'report_b', 'kind', 'value', 'status', 'linked_at', 'severed_at'])
      .where((eb) => eb.or([eb('report_a', 'in', ids), eb('report_b', 'in', ids)]))
      .orderBy('report_a')
      .orderBy('report_b')
      .orderBy('kind')
      .orderBy('value')
      .execute();
  },

  /** The accounts these reports' money reached, with their layer. */
  async accounts(db: Db, reportIds: readonly string[]) {
    if (reportIds.length === 0) return [];
    return db
      .selectFrom('link_value')
      .select(['value', 'layer'])
      .where('report_id', 'in', [...reportIds])
      .where('kind', '=', 'account')
      .execute();
  },

  /** The cluster's latest `limit` history entries, newest first. */
  async history(db: Db, clusterId: string, limit: number) {
    return db
      .selectFrom('cluster_event')
      .leftJoin('app_user', 'app_user.id', 'cluster_event.actor_id')
      .select([
        'cluster_event.id',
        'cluster_event.kind',
        'cluster_event.at',
        'cluster_event.reason',
        'cluster_event.details',
        'app_user.username',
      ])
      .where('cluster_event.cluster_id', '=', clusterId)
      .orderBy('cluster_event.seq', 'desc')
      .limit(limit)
      .execute();
  },

  /** The wall's figures: open and alerted clusters now, reports that joined a cluster since `since`. */
  async wallFigures(db: Db, since: Date) {
    const [clusters, linked] = await Promise.all([
      db
        .selectFrom('cluster')
        .select((eb) => [
          eb.fn.countAll<number>().as('open'),
          eb.fn.count<number>('alerted_at').as('alerted'),
        ])
        .where('status', 'in', ['open', 'confirmed'])
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('cluster_report')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('joined_at', '>=', since)
        .executeTakeFirstOrThrow(),
    ]);
    return { open: Number(clusters.open), alerted: Number(clusters.alerted), linkedToday: Number(linked.n) };
  },
};

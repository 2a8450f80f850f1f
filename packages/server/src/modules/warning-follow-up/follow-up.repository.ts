import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB, EpisodeFollowUpTable } from '../../db/schema';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;

export type FollowUpFactsRow = Omit<
  Insertable<EpisodeFollowUpTable>,
  'defrauded_7' | 'defrauded_30' | 'checked_at'
>;

/** Follow-ups whose next check has come, through the partial index on `next_check_at`. */
export const dueRows = (db: Db, now: Date, limit: number) =>
  db
    .selectFrom('episode_follow_up')
    .select(['id', 'opened_at', 'check_7_at', 'check_30_at', 'defrauded_7', 'defrauded_30'])
    .where('next_check_at', 'is not', null)
    .where('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .limit(limit);

/** The SQL of the follow-up (`episode_follow_up`, the one table this module owns). */
export const followUpRepository = {
  /**
   * Each episode's facts as they stand, in one statement. The checks' times and the next check are set once,
   * when the episode is first seen closed; what the checks recorded is never overwritten.
   */
  async saveFacts(trx: Trx, rows: FollowUpFactsRow[]): Promise<void> {
    if (rows.length === 0) return;
    await trx
      .insertInto('episode_follow_up')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          closed_at: sql`excluded.closed_at`,
          close_reason: sql`excluded.close_reason`,
          grade: sql`excluded.grade`,
          county_code: sql`excluded.county_code`,
          warning_count: sql`excluded.warning_count`,
          sources: sql`excluded.sources`,
          channel: sql`excluded.channel`,
          sms: sql`excluded.sms`,
          robot_call: sql`excluded.robot_call`,
          human_call: sql`excluded.human_call`,
          trusted_contact: sql`excluded.trusted_contact`,
          carrier_assist: sql`excluded.carrier_assist`,
          visit: sql`excluded.visit`,
          is_held: sql`excluded.is_held`,
          first_contact_s: sql`excluded.first_contact_s`,
          check_7_at: sql`coalesce(episode_follow_up.check_7_at, excluded.check_7_at)`,
          check_30_at: sql`coalesce(episode_follow_up.check_30_at, excluded.check_30_at)`,
          next_check_at: sql`case when episode_follow_up.check_7_at is null then excluded.next_check_at
            else episode_follow_up.next_check_at end`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .execute();
  },

  /** Follow-ups whose next check has come, oldest first, locked (another worker takes the next ones). */
  lockDue: (trx: Trx, now: Date, limit: number) =>
    dueRows(trx, now, limit).forUpdate().skipLocked().execute(),

  /** What the checks recorded, one statement for a batch. */
  async saveChecks(
    trx: Trx,
    results: Array<{
      id: string;
      defrauded7: boolean | null;
      defrauded30: boolean | null;
      nextCheckAt: Date | null;
    }>,
    at: Date,
  ): Promise<void> {
    if (results.length === 0) return;
    const values = sql.join(
      results.map(
        (r) =>
          sql`(${r.id}::uuid, ${r.defrauded7}::boolean, ${r.defrauded30}::boolean, ${r.nextCheckAt}::timestamptz)`,
      ),
    );
    await sql`
      update episode_follow_up f set defrauded_7 = v.d7, defrauded_30 = v.d30, next_check_at = v.next,
        checked_at = ${at}
      from (values ${values}) as v(id, d7, d30, next)
      where f.id = v.id`.execute(trx);
  },
};

/** The counts of a group of closed episodes' checks, as each figures query selects them. */
const checkCounts = [
  sql<number>`count(*)::int`.as('closed'),
  sql<number>`count(*) filter (where close_reason = 'not_fraud')::int`.as('not_fraud'),
  sql<number>`count(defrauded_7)::int`.as('checked7'),
  sql<number>`count(*) filter (where defrauded_7)::int`.as('defrauded7'),
  sql<number>`count(defrauded_30)::int`.as('checked30'),
  sql<number>`count(*) filter (where defrauded_30)::int`.as('defrauded30'),
] as const;

const closedIn = (db: Db, from: Date, to: Date) =>
  db.selectFrom('episode_follow_up').where('closed_at', '>=', from).where('closed_at', '<', to);

/**
 * The figures' reads over [from, to): each a range of one index (episodes opened, episodes closed), never
 * the whole table; `follow-up.queries.test.ts` checks their plans.
 */
export const followUpQueries = (db: Db, from: Date, to: Date, targetS: number) => ({
  opened: db
    .selectFrom('episode_follow_up')
    .select([
      sql<number>`count(*)::int`.as('episodes'),
      sql<number>`coalesce(sum(warning_count), 0)::int`.as('warnings'),
      sql<number>`coalesce(sum(sms), 0)::int`.as('sms'),
      sql<number>`coalesce(sum(robot_call), 0)::int`.as('robot_call'),
      sql<number>`coalesce(sum(human_call), 0)::int`.as('human_call'),
      sql<number>`coalesce(sum(trusted_contact), 0)::int`.as('trusted_contact'),
      sql<number>`coalesce(sum(carrier_assist), 0)::int`.as('carrier_assist'),
      sql<number>`coalesce(sum(visit), 0)::int`.as('visit'),
      sql<number>`count(*) filter (where visit > 0)::int`.as('visits'),
      sql<number>`count(*) filter (where is_held)::int`.as('holds'),
      sql<number>`count(first_contact_s)::int`.as('reached'),
      sql<number | null>`percentile_cont(0.5) within group (order by first_contact_s)::float8`.as('p50'),
      sql<number | null>`percentile_cont(0.9) within group (order by first_contact_s)::float8`.as('p90'),
      sql<number>`count(*) filter (where first_contact_s <= ${targetS})::int`.as('within'),
    ])
    .where('opened_at', '>=', from)
    .where('opened_at', '<', to),
  closed: closedIn(db, from, to).select([
    ...checkCounts,
    sql<number>`count(*) filter (where close_reason = 'persuaded')::int`.as('persuaded'),
  ]),
  byChannel: closedIn(db, from, to)
    .select(['channel', ...checkCounts])
    .where('channel', 'is not', null)
    .groupBy('channel'),
  bySource: closedIn(db, from, to)
    .innerJoin(sql<{ value: string }>`jsonb_array_elements_text(sources)`.as('s'), (j) => j.onTrue())
    .select([sql<string>`s.value`.as('source'), ...checkCounts])
    .groupBy(sql`s.value`),
});

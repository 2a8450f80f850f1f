import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import { openRows } from '../../platform/crypto/field-cipher';

type Db = Kysely<DB> | Transaction<DB>;

/** What the follow-up of an episode counts of it, read as it stands (no personal data). */
export interface EpisodeFacts {
  id: string;
  openedAt: Date;
  closedAt: Date | null;
  closeReason: string | null;
  grade: string;
  countyCode: string | null;
  warningCount: number;
  /** Distinct sources of its warnings, sorted. */
  sources: string[];
  /** Contacts made, by channel (failed sends left out). */
  contacts: Record<string, number>;
  /** The first call placed or visit issued (robot or human call, trusted contact, visit); null: none yet. */
  firstContactAt: Date | null;
  /** A protective hold was approved. */
  isHeld: boolean;
}

const CALLS_AND_VISITS = ['robot_call', 'human_call', 'trusted_contact', 'visit'];

/**
 * Reads for the follow-up module (`modules/warning-follow-up`): an episode's facts, and at each check the
 * person it was about. Three index reads per batch of episodes (by id and by `episode_id`).
 */
export const episodeFollowUpReads = {
  async facts(db: Db, ids: string[]): Promise<EpisodeFacts[]> {
    if (ids.length === 0) return [];
    const [episodes, contacts, warnings] = await Promise.all([
      db
        .selectFrom('episode')
        .select([
          'id',
          'opened_at',
          'closed_at',
          'close_reason',
          'grade',
          'county_code',
          'warning_count',
          sql<boolean>`exists (select 1 from episode_event v where v.episode_id = episode.id
            and v.event = 'approve_hold')`.as('is_held'),
        ])
        .where('id', 'in', ids)
        .execute(),
      db
        .selectFrom('episode_contact')
        .select([
          'episode_id',
          'channel',
          sql<number>`count(*)::int`.as('n'),
          sql<Date | null>`min(coalesce(sent_at, created_at)) filter (where channel in (${sql.join(
            CALLS_AND_VISITS,
          )}))`.as('first_at'),
        ])
        .where('episode_id', 'in', ids)
        .where('status', 'in', ['sent', 'assigned'])
        .groupBy(['episode_id', 'channel'])
        .execute(),
      db
        .selectFrom('episode_warning')
        .select(['episode_id', 'source'])
        .distinct()
        .where('episode_id', 'in', ids)
        .execute(),
    ]);
    return episodes.map((e) => {
      const own = contacts.filter((c) => c.episode_id === e.id);
      const firsts = own.flatMap((c) => (c.first_at ? [new Date(c.first_at).getTime()] : []));
      return {
        id: e.id,
        openedAt: e.opened_at,
        closedAt: e.closed_at,
        closeReason: e.close_reason,
        grade: e.grade,
        countyCode: e.county_code,
        warningCount: e.warning_count,
        sources: warnings
          .filter((w) => w.episode_id === e.id)
          .map((w) => w.source)
          .sort(),
        contacts: Object.fromEntries(own.map((c) => [c.channel, c.n])),
        firstContactAt: firsts.length > 0 ? new Date(Math.min(...firsts)) : null,
        isHeld: e.is_held,
      };
    });
  },

  /** The people these episodes are about, opened (phone in E.164, ID number, name), for a look-up or a callback. */
  async people(db: Db, ids: string[]) {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('episode')
      .select(['id', 'person_phone', 'person_id_number', 'person_name', 'county_code'])
      .where('id', 'in', ids)
      .execute();
    return (await openRows(db, 'episode', rows)).map((r) => ({
      id: r.id,
      phone: r.person_phone,
      idNumber: r.person_id_number,
      name: r.person_name,
      countyCode: r.county_code,
    }));
  },
};

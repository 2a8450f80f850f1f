import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../platform/actor';

type Trx = Transaction<DB>;

/**
 * The one county-scope check: county police act on, and see in full, only what belongs to their own county.
 * Every read and write that is limited to a county asks this, so the rule cannot drift between consoles.
 */
export const isOwnCounty = (actor: Actor, countyCode: string | null): boolean =>
  actor.role === 'county_police' && countyCode !== null && actor.countyCode === countyCode;

/** The reports whose case a county owns: what its police may see (as a subquery). */
export function reportsOwnedBy(db: Kysely<DB> | Trx, countyCode: string | null) {
  return db
    .selectFrom('report')
    .select('id')
    .where('owning_county_code', '=', countyCode ?? '-');
}

/** The reports a call-taker took (as a subquery). */
export function reportsTakenBy(db: Kysely<DB> | Trx, userId: string) {
  return db.selectFrom('report').select('id').where('created_by', '=', userId);
}

/** Whether the actor may see a request of this report: county police only their county's cases. */
export async function isInScope(db: Kysely<DB> | Trx, actor: Actor, reportId: string): Promise<boolean> {
  if (actor.role !== 'county_police') return true;
  const r = await db
    .selectFrom('report')
    .select('owning_county_code')
    .where('id', '=', reportId)
    .executeTakeFirst();
  return r !== undefined && isOwnCounty(actor, r.owning_county_code);
}

/**
 * Warning episodes: a persuader bound to a county sees and works only that county's episodes; the centre's
 * persuasion desk (a persuader without a county) and the supervisor see every county's and the centre's own.
 */
export const isEpisodeInScope = (actor: Actor, countyCode: string | null): boolean =>
  actor.role === 'supervisor' ||
  (actor.role === 'persuader' && (actor.countyCode === null || actor.countyCode === countyCode));

/** The county a listing of episodes is narrowed to for this actor (undefined: every county). */
export const episodeCountyOf = (actor: Actor): string | undefined =>
  actor.role === 'persuader' && actor.countyCode !== null ? actor.countyCode : undefined;

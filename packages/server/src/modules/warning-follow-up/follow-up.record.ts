import { followUpChecks, strongestChannel, type Clock, type EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { episodeFollowUpReads, type EpisodeFacts } from '../warnings/index';
import { followUpRepository, type FollowUpFactsRow } from './follow-up.repository';

export const FOLLOW_UP_CONSUMER = 'warning-follow-up';
/** Every event of a change to what the follow-up counts of an episode (`episode.contacted`: a send). */
export const FOLLOW_UP_SUBJECTS = ['episode.opened', 'episode.changed', 'episode.contacted'] as const;
const MAX_BATCH = 500;

export interface FollowUpDeps {
  db: Kysely<DB>;
  clock: Clock;
}

const count = (f: EpisodeFacts, channel: string) => f.contacts[channel] ?? 0;

/** The row the follow-up keeps of an episode's facts; the checks' times once it is closed. */
export function factsRow(f: EpisodeFacts, at: Date): FollowUpFactsRow {
  const checks = f.closedAt ? followUpChecks(f.closedAt) : null;
  return {
    id: f.id,
    opened_at: f.openedAt,
    closed_at: f.closedAt,
    close_reason: f.closeReason,
    grade: f.grade,
    county_code: f.countyCode,
    warning_count: f.warningCount,
    sources: JSON.stringify(f.sources),
    channel: strongestChannel(Object.keys(f.contacts)),
    sms: count(f, 'sms'),
    robot_call: count(f, 'robot_call'),
    human_call: count(f, 'human_call'),
    trusted_contact: count(f, 'trusted_contact'),
    carrier_assist: count(f, 'carrier_assist'),
    visit: count(f, 'visit'),
    is_held: f.isHeld,
    first_contact_s: f.firstContactAt
      ? Math.max(0, (f.firstContactAt.getTime() - f.openedAt.getTime()) / 1000)
      : null,
    check_7_at: checks?.check7At ?? null,
    check_30_at: checks?.check30At ?? null,
    next_check_at: checks?.check7At ?? null,
    updated_at: at,
  };
}

/**
 * Brings the follow-up rows of the episodes these events name up to date, in one transaction: the facts are
 * read as they stand from the warnings module, so a redelivered or reordered event changes nothing twice.
 * An event only says which episodes to read again: every change to their facts commits one (the sweep's sends
 * `episode.contacted`), so the last read of an episode comes after its last change.
 */
export async function applyEpisodeEvents(deps: FollowUpDeps, events: EventEnvelope[]): Promise<void> {
  const ids = [
    ...new Set(
      events.flatMap((e) => {
        if (e.subject === 'episode.opened' || e.subject === 'episode.changed')
          return [(e as EventEnvelope<'episode.opened' | 'episode.changed'>).data.episode.id];
        if (e.subject === 'episode.contacted')
          return [(e as EventEnvelope<'episode.contacted'>).data.episodeId];
        return [];
      }),
    ),
  ].sort();
  if (ids.length === 0) return;
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const facts = await episodeFollowUpReads.facts(trx, ids);
    await followUpRepository.saveFacts(
      trx,
      facts.map((f) => factsRow(f, at)),
    );
  });
}

/** The follow-up's consumer (worker role): one durable consumer group taking batches of episode events. */
export function startFollowUpConsumer(deps: FollowUpDeps & { bus: Bus }): Promise<Subscription> {
  return deps.bus.subscribeBatch(
    { consumer: FOLLOW_UP_CONSUMER, subjects: [...FOLLOW_UP_SUBJECTS], maxBatch: MAX_BATCH, members: 'one' },
    (events) => applyEpisodeEvents(deps, events),
  );
}

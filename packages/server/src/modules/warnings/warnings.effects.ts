import { randomBytes as cryptoRandomBytes, randomUUID } from 'node:crypto';
import {
  generateVerificationCode,
  type Clock,
  type LadderAction,
  type LadderState,
  type RandomBytes,
} from '@fanzha/domain';
import type { Insertable, Transaction } from 'kysely';
import type { DB, EpisodeContactTable } from '../../db/schema';
import { newEvent } from '../../platform/events';
import { enqueue } from '../../platform/outbox/outbox';
import { contactOfAction, ladderToJson, nextTimerAt } from './warnings.ladder';
import { warningsRepository as repo, type EpisodeChange, type EpisodeRow } from './warnings.repository';
import { summaryOf } from './warnings.views';

/** Verification codes come from the operating system's CSPRNG. */
export const cryptoRandom: RandomBytes = (n) => cryptoRandomBytes(n);

/** The contacts the ladder's entry actions make, each that reaches the person with a fresh code. */
export function contactsFor(
  episodeId: string,
  ladder: LadderState,
  actions: readonly LadderAction[],
  at: Date,
  random: RandomBytes,
): Array<Insertable<EpisodeContactTable>> {
  return actions.flatMap((action) => {
    const contact = contactOfAction[action];
    if (!contact) return [];
    return [
      {
        id: randomUUID(),
        episode_id: episodeId,
        // The issue_visit that comes with a carrier assist (line busy) is the visit's, not the step's.
        step: action === 'issue_visit' ? 'visit' : ladder.step,
        channel: contact.channel,
        verification_code: contact.hasCode ? generateVerificationCode(random) : null,
        status: contact.isSentByMessenger ? ('pending' as const) : ('assigned' as const),
        created_at: at,
        sent_at: null,
        failure: null,
      },
    ];
  });
}

/** The row's new columns for a new ladder state. */
export function changeOf(
  row: Pick<EpisodeRow, 'id' | 'warning_count' | 'last_warning_at'>,
  ladder: LadderState,
  at: Date,
): EpisodeChange {
  const closing = ladder.step === 'closed';
  return {
    id: row.id,
    grade: ladder.grade,
    step: ladder.step,
    ladder: ladderToJson(ladder),
    next_timer_at: nextTimerAt(ladder),
    is_overdue: ladder.isOverdue,
    warning_count: row.warning_count,
    last_warning_at: row.last_warning_at,
    close_reason: closing ? (ladder.closeReason ?? 'closed') : null,
    closed_at: closing ? ladder.history.at(-1)!.at : null,
    updated_at: at,
  };
}

/**
 * The episodes these changes close withdraw their SMS and robot calls still waiting for the messenger: the
 * person is not warned about an episode the centre has closed (cleared as `not_fraud` or `duplicate`,
 * persuaded, already paid, its hold ended). Called in the close's transaction after the change's own contacts
 * are recorded (a timer that fired on the way to the close may have made one), so none of them is left pending.
 */
export async function withdrawUnsent(trx: Transaction<DB>, changes: readonly EpisodeChange[]): Promise<void> {
  await repo.withdrawPending(
    trx,
    'episode_id',
    changes.flatMap((c) => (c.closed_at === null ? [] : [{ id: c.id, reason: c.close_reason ?? 'closed' }])),
  );
}

/** The row as it stands after a change (for the event's payload, built from the values written). */
export function rowAfter(row: EpisodeRow, change: EpisodeChange): EpisodeRow {
  return {
    ...row,
    grade: change.grade as EpisodeRow['grade'],
    step: change.step,
    ladder: JSON.parse(change.ladder) as unknown,
    next_timer_at: change.next_timer_at,
    is_overdue: change.is_overdue,
    warning_count: change.warning_count,
    last_warning_at: change.last_warning_at,
    close_reason: change.close_reason,
    closed_at: change.closed_at,
    updated_at: change.updated_at,
    version: row.version + 1,
  };
}

/** `episode.opened` / `episode.changed` into the outbox, in the transaction of the change. */
export async function emitEpisodes(
  trx: Transaction<DB>,
  clock: Clock,
  /** `opened` for a new episode, else what changed (`warning,grade_raised`, `step`, an outcome …). */
  items: Array<{ row: EpisodeRow; change: string }>,
): Promise<void> {
  await enqueue(
    trx,
    ...items.map(({ row, change }) =>
      change === 'opened'
        ? newEvent('episode.opened', { episode: summaryOf(row) }, clock)
        : newEvent('episode.changed', { episode: summaryOf(row), change }, clock),
    ),
  );
}

/** What the messenger did with one contact (the sweep's `markContacts`). */
export interface ContactSent {
  id: string;
  episodeId: string;
  channel: 'sms' | 'robot_call';
  status: 'sent' | 'failed';
  at: Date;
}

/**
 * `episode.contacted` into the outbox, one per episode, in the transaction that marked its contacts: what the
 * follow-up counts of an episode changes when a pending SMS or robot call is sent, and no other event says so.
 */
export async function emitContacted(
  trx: Transaction<DB>,
  clock: Clock,
  results: ContactSent[],
): Promise<void> {
  const byEpisode = new Map<string, ContactSent[]>();
  for (const r of results) byEpisode.set(r.episodeId, [...(byEpisode.get(r.episodeId) ?? []), r]);
  await enqueue(
    trx,
    ...[...byEpisode].map(([episodeId, contacts]) =>
      newEvent(
        'episode.contacted',
        {
          episodeId,
          contacts: contacts.map((c) => ({
            id: c.id,
            channel: c.channel,
            status: c.status,
            at: c.at.toISOString(),
          })),
        },
        clock,
      ),
    ),
  );
}

import { formatVerificationCode, tickLadder, type Clock, type RandomBytes } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { runEvery, type Periodic } from '../../platform/every';
import type { Logger } from '../../platform/logger';
import {
  changeOf,
  contactsFor,
  emitContacted,
  emitEpisodes,
  rowAfter,
  withdrawUnsent,
  type ContactSent,
} from './warnings.effects';
import { insertContacts } from './warnings.carrier';
import { ladderFromJson } from './warnings.ladder';
import { warningsRepository as repo } from './warnings.repository';

/**
 * The port to the centre's SMS gateway and robot-call platform. Each message carries the contact's id
 * (`contactId`, unique: a gateway that sees it twice must send once — the sweep sends at least once, as a
 * crash between the gateway's acceptance and the commit sends again) and its verification code, which
 * the text already contains. `ok: false` with a reason marks the contact failed (the ladder moves on by
 * its own SLA).
 */
export interface Messenger {
  send(message: {
    contactId: string;
    channel: 'sms' | 'robot_call';
    /** E.164. */
    phone: string;
    text: string;
    verificationCode: string;
  }): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/**
 * The embedded default: records every message as sent and sends nothing (the demo's simulated people
 * answer through the console API). A deployment plugs its gateway in here.
 */
export function createRecordingMessenger(): Messenger & { sent: Array<Parameters<Messenger['send']>[0]> } {
  const sent: Array<Parameters<Messenger['send']>[0]> = [];
  return {
    sent,
    send(message) {
      sent.push(message);
      return Promise.resolve({ ok: true });
    },
  };
}

/** The text of a warning, in the words of the centre; the code lets the person check it is genuine. */
export function warningText(centre: string, channel: 'sms' | 'robot_call', code: string): string {
  const shown = formatVerificationCode(code);
  return channel === 'sms'
    ? `【${centre}】您可能正在遭遇电信网络诈骗，请勿转账汇款。民警将与您联系。核验码${shown}，可在${centre}官网核验。`
    : `这里是${centre}。您可能正在遭遇电信网络诈骗，请立即停止转账。本次来电核验码：${shown}。`;
}

const BATCH = 200;

/**
 * The ladder's timers and the messenger's queue, swept in worker processes: episodes whose next timer is
 * due are locked (others skip them: `skip locked`), their ladders ticked to now — every timer due fires
 * at its own time, once, since the new state is written in the same transaction — and the contacts of
 * the steps they entered recorded; then pending SMS and robot calls go to the messenger, and what it did
 * with them is marked, with one `episode.contacted` per episode in the outbox of the same transaction. A
 * contact of an episode closed meanwhile is never sent: withdrawn (its close withdraws it; one older code
 * left pending is withdrawn here), it publishes nothing and counts as no contact made.
 */
export function createEpisodeSweep(deps: {
  db: Kysely<DB>;
  clock: Clock;
  random: RandomBytes;
  messenger: Messenger;
  centreName: string;
  wake: () => void;
}) {
  const { db, clock } = deps;

  async function fireTimers(now: Date): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const due = await repo.lockDue(trx, now, BATCH);
      if (due.length === 0) return 0;
      const items = due.map((row) => {
        const ticked = tickLadder(ladderFromJson(row.ladder), now);
        const change = changeOf(row, ticked.state, now);
        return {
          row,
          change,
          contacts: contactsFor(row.id, ticked.state, ticked.actions, now, deps.random),
          ladder: ticked.state,
        };
      });
      await repo.applyChanges(
        trx,
        items.map((i) => i.change),
      );
      await insertContacts(
        trx,
        clock,
        items.flatMap((i) => i.contacts),
        due,
      );
      // A timer that closes the episode (a hold that lapsed) withdraws what it still had to send.
      await withdrawUnsent(
        trx,
        items.map((i) => i.change),
      );
      await emitEpisodes(
        trx,
        clock,
        items.map((i) => ({
          row: rowAfter(i.row, i.change),
          change: i.ladder.step === 'closed' ? 'closed' : 'step',
        })),
      );
      return due.length;
    });
  }

  async function sendPending(now: Date): Promise<{ sent: number; withdrawn: number }> {
    return db.transaction().execute(async (trx) => {
      const pending = await repo.lockPendingSends(trx, BATCH);
      // An episode closed since its contact was made warns the person of nothing: its close withdraws its
      // contacts; one it left pending (older code did) is withdrawn here, never sent, and not counted.
      const withdrawn = pending.flatMap(({ contact, closedAs }) =>
        closedAs === null ? [] : [{ id: contact.id, reason: closedAs }],
      );
      await repo.withdrawPending(trx, 'id', withdrawn);
      const results: Array<ContactSent & { failure: string | null }> = [];
      for (const { contact, phone, closedAs } of pending) {
        if (closedAs !== null) continue;
        const channel = contact.channel as 'sms' | 'robot_call';
        const outcome =
          phone === null || contact.verification_code === null
            ? { ok: false as const, reason: 'no phone to send to' }
            : await deps.messenger.send({
                contactId: contact.id,
                channel,
                phone,
                text: warningText(deps.centreName, channel, contact.verification_code),
                verificationCode: contact.verification_code,
              });
        results.push({
          id: contact.id,
          episodeId: contact.episode_id,
          channel,
          status: outcome.ok ? 'sent' : 'failed',
          at: now,
          failure: outcome.ok ? null : outcome.reason,
        });
      }
      await repo.markContacts(trx, results);
      // The contacts' new status is a fact the follow-up counts: its event commits with it, or not at all.
      await emitContacted(trx, clock, results);
      return { sent: results.length, withdrawn: withdrawn.length };
    });
  }

  /** One sweep at `now`: how many episodes' timers fired and how many contacts were sent. */
  async function sweepOnce(now: Date = clock.now()): Promise<{ fired: number; sent: number }> {
    const due = await repo.whatIsDue(db, now);
    let fired = 0;
    if (due.timers)
      for (let n = await fireTimers(now); n > 0; n = n === BATCH ? await fireTimers(now) : 0) fired += n;
    // Firing timers records contacts to send: look again only if it did.
    const { sent, withdrawn } = due.sends || fired > 0 ? await sendPending(now) : { sent: 0, withdrawn: 0 };
    if (fired > 0 || sent > 0 || withdrawn > 0) deps.wake();
    return { fired, sent };
  }

  return { sweepOnce };
}
export type EpisodeSweep = ReturnType<typeof createEpisodeSweep>;

/** Runs the sweep every `everyMs` in the worker (and in the embedded all-in-one process). */
export function startEpisodeSweep(sweep: EpisodeSweep, opts: { log: Logger; everyMs: number }): Periodic {
  return runEvery(() => sweep.sweepOnce(), { ...opts, what: 'warning episodes sweep' });
}

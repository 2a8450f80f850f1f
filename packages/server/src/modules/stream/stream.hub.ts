import type { StreamMessage } from '@fanzha/contracts';
import type { EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { eventsAfter } from '../../platform/outbox/outbox';
import type { Actor } from '../../platform/actor';
import type { Logger } from '../../platform/logger';
import { isAlertFor, isEpisodeInScope, isOwnCounty } from '../case/index';
import { isTaskFor } from '../tasks/index';

const SUBJECTS = [
  'stop-payment.changed',
  'bank-instruction.changed',
  'report.changed',
  'county-task.changed',
  'alert.raised',
  'wall.changed',
  'episode.opened',
  'episode.changed',
  'carrier-request.changed',
  'task.urged',
  'task.reassigned',
  'task.escalated',
  'cluster.changed',
  'countermeasure.changed',
  'two-card-instruction.changed',
] as const;
const REPLAY_LIMIT = 2000;
/** How many recent event ids the hub remembers, to fan out an event heard twice once. */
const HEARD_MEMORY = 10_000;

/** What one role may receive of one event, as the message to push, or nothing. */
export function messageFor(actor: Actor, event: EventEnvelope): StreamMessage | undefined {
  if (event.subject === 'stop-payment.changed') {
    const { request, reportCreatedBy, owningCountyCode } = (event as EventEnvelope<'stop-payment.changed'>)
      .data;
    switch (actor.role) {
      case 'stop_payment_officer':
      case 'supervisor':
      case 'analyst':
        return { type: 'stop-payment', request };
      case 'call_taker':
        return reportCreatedBy === actor.userId ? { type: 'stop-payment', request } : undefined;
      case 'bank_liaison':
        // A bank sees its own instructions once sent, never the desk's pending work.
        return request.account.bankCode === actor.bankCode &&
          request.status !== 'pending' &&
          request.status !== 'withdrawn'
          ? { type: 'stop-payment', request }
          : undefined;
      case 'county_police':
        // The case-owning county follows its reports' money (freeze before the lapse).
        return owningCountyCode !== null && owningCountyCode === actor.countyCode
          ? { type: 'stop-payment', request }
          : undefined;
      case 'telecom_liaison':
      case 'persuader':
      case 'wall':
      case 'admin':
      case 'auditor':
        return undefined;
    }
  }
  if (event.subject === 'bank-instruction.changed') {
    // A bank's queue, live: every kind of instruction to its bank, as signed, with its state.
    const { bankCode, item } = (event as EventEnvelope<'bank-instruction.changed'>).data;
    return actor.role === 'bank_liaison' && actor.bankCode === bankCode
      ? { type: 'bank-instruction', item }
      : undefined;
  }
  if (event.subject === 'report.changed') {
    const r = (event as EventEnvelope<'report.changed'>).data;
    const report = { id: r.id, number: r.number, status: r.status, version: r.version };
    if (actor.role === 'supervisor' || actor.role === 'stop_payment_officer')
      return { type: 'report', report };
    if (actor.role === 'call_taker' && r.createdBy === actor.userId) return { type: 'report', report };
    // The intake queue: a draft opened from a warning episode, for every call-taker until it is filed.
    if (actor.role === 'call_taker' && r.fromEpisodeId && r.status === 'draft')
      return { type: 'report', report };
  }
  if (event.subject === 'county-task.changed') {
    const { task } = (event as EventEnvelope<'county-task.changed'>).data;
    if (actor.role === 'supervisor' || isOwnCounty(actor, task.countyCode))
      return { type: 'county-task', task };
  }
  if (event.subject === 'alert.raised') {
    const { alert } = (event as EventEnvelope<'alert.raised'>).data;
    if (isAlertFor(actor, alert)) return { type: 'alert', alert };
  }
  // Warning episodes: the persuaders of the episode's county, the centre's desk and the supervisor.
  if (event.subject === 'episode.opened' || event.subject === 'episode.changed') {
    const { episode } = (event as EventEnvelope<'episode.opened'>).data;
    const change =
      event.subject === 'episode.changed'
        ? (event as EventEnvelope<'episode.changed'>).data.change
        : 'opened';
    if (isEpisodeInScope(actor, episode.countyCode)) return { type: 'episode', episode, change };
  }
  // Carrier assist requests: the liaisons of the request's operator, and the supervisor.
  if (event.subject === 'carrier-request.changed') {
    const { request } = (event as EventEnvelope<'carrier-request.changed'>).data;
    if (
      actor.role === 'supervisor' ||
      (actor.role === 'telecom_liaison' && actor.operatorCode === request.operatorCode)
    )
      return { type: 'carrier-request', carrierRequest: request };
  }
  // Countermeasures (技术反制): the party that executes it (an operator's or a bank's liaison), and the centre.
  if (event.subject === 'countermeasure.changed') {
    const { item, change } = (event as EventEnvelope<'countermeasure.changed'>).data;
    const isParty =
      (actor.role === 'telecom_liaison' &&
        item.partyKind === 'operator' &&
        actor.operatorCode === item.partyCode) ||
      (actor.role === 'bank_liaison' && item.partyKind === 'bank' && actor.bankCode === item.partyCode);
    if (isParty || actor.role === 'analyst' || actor.role === 'supervisor')
      return { type: 'countermeasure', item, change };
  }
  // Two-cards measures' instructions: the bank or operator that carries it out, and the centre's two-cards page.
  if (event.subject === 'two-card-instruction.changed') {
    const { item, change } = (event as EventEnvelope<'two-card-instruction.changed'>).data;
    const isParty =
      (actor.role === 'telecom_liaison' &&
        item.partyKind === 'operator' &&
        actor.operatorCode === item.partyCode) ||
      (actor.role === 'bank_liaison' && item.partyKind === 'bank' && actor.bankCode === item.partyCode);
    if (isParty || actor.role === 'analyst' || actor.role === 'supervisor')
      return { type: 'two-card-instruction', item, change };
  }
  // Supervision (督办): the supervisor, and the owners of the task (a county's police, a bank's, an operator's).
  if (
    event.subject === 'task.urged' ||
    event.subject === 'task.reassigned' ||
    event.subject === 'task.escalated'
  ) {
    const { task } = (event as EventEnvelope<'task.urged'>).data;
    const data = event.data as { note?: string; reason?: string };
    const action =
      event.subject === 'task.urged' ? 'urge' : event.subject === 'task.reassigned' ? 'reassign' : 'escalate';
    if (isTaskFor(actor, task))
      return { type: 'task', action, entry: task, note: data.note ?? data.reason ?? '' };
  }
  // Case linking (串并案): the analysts and the supervisor follow their clusters.
  if (event.subject === 'cluster.changed') {
    const { cluster, change } = (event as EventEnvelope<'cluster.changed'>).data;
    if (actor.role === 'analyst' || actor.role === 'supervisor') return { type: 'cluster', cluster, change };
  }
  // The wall's rollups: aggregates and ticker lines only, for those who keep a wall open.
  if (event.subject === 'wall.changed') {
    const { at, ticker } = (event as EventEnvelope<'wall.changed'>).data;
    if (actor.role === 'wall' || actor.role === 'supervisor' || actor.role === 'analyst')
      return { type: 'wall', at, ticker };
  }
  return undefined;
}

export interface StreamClient {
  actor: Actor;
  send(id: string, message: StreamMessage): void;
  /** Ends the client's connection (at shutdown); it reconnects elsewhere or when the server is back. */
  close?(): void;
}

interface Entry {
  client: StreamClient;
  /** Live events held back while the client's replay runs. */
  held: EventEnvelope[] | undefined;
}

/**
 * One live listener per API process (a plain NATS subscription when scaled out: nothing durable, no
 * acknowledgements) fans events out to the clients connected to it, whichever process committed them. A
 * client that reconnects with the id of the last event it saw first gets what it missed, from the outbox.
 */
export function createStreamHub(deps: { db: Kysely<DB>; bus: Bus; log?: Logger }) {
  const entries = new Set<Entry>();
  let subscription: Subscription | undefined;
  /** The events this hub fanned out lately (a replayed one may also come live), and the last of them. */
  const heard = new Set<string>();
  let lastHeard: string | undefined;
  let replaying: Promise<void> | undefined;

  const fanOut = (event: EventEnvelope) => {
    if (heard.has(event.id)) return;
    heard.add(event.id);
    if (heard.size > HEARD_MEMORY) heard.delete(heard.values().next().value!);
    lastHeard = event.id;
    for (const entry of entries) {
      if (entry.held) entry.held.push(event);
      else deliver(entry.client, event);
    }
  };

  /**
   * The bus lost its connection and has it back: what was published meanwhile never came. It is fanned out
   * from the outbox, after the last event heard; with nothing to start from (or too much missed), every
   * stream is ended, and the browsers reconnect and reload their lists.
   */
  async function recoverGap(): Promise<void> {
    const missed = lastHeard ? await eventsAfter(deps.db, lastHeard, [...SUBJECTS], REPLAY_LIMIT) : undefined;
    if (!missed || missed.length === REPLAY_LIMIT) {
      closeAll();
      return;
    }
    for (const event of missed) fanOut(event);
  }

  function closeAll(): void {
    for (const entry of [...entries]) entry.client.close?.();
    entries.clear();
  }

  const deliver = (client: StreamClient, event: EventEnvelope) => {
    const message = messageFor(client.actor, event);
    if (message) client.send(event.id, message);
  };

  async function replay(client: StreamClient, lastEventId: string, sent: Set<string>): Promise<void> {
    const missed = await eventsAfter(deps.db, lastEventId, [...SUBJECTS], REPLAY_LIMIT);
    if (!missed) return; // unknown or pruned: the client reloads its lists anyway
    for (const event of missed) {
      sent.add(event.id);
      deliver(client, event);
    }
  }

  return {
    get size() {
      return entries.size;
    },
    async start(): Promise<void> {
      subscription = await deps.bus.listen([...SUBJECTS], fanOut, () => {
        replaying ??= recoverGap()
          .catch((err: unknown) => {
            deps.log?.error({ err }, 'replaying the events missed while the bus was away failed');
            closeAll();
          })
          .finally(() => (replaying = undefined));
      });
    },
    /**
     * Ends every open stream. A stream never ends by itself, so the HTTP server would wait for them for
     * ever on shutdown (and the data folder would stay claimed): called before the server closes.
     */
    closeAll,
    async stop(): Promise<void> {
      entries.clear();
      await subscription?.stop();
      await replaying;
    },
    /** Adds a client; with `lastEventId`, first replays what came after it. Returns the remover. */
    async connect(client: StreamClient, lastEventId: string | undefined): Promise<() => void> {
      const entry: Entry = { client, held: lastEventId ? [] : undefined };
      entries.add(entry);
      if (lastEventId) {
        const sent = new Set<string>();
        try {
          await replay(client, lastEventId, sent);
        } finally {
          const held = entry.held ?? [];
          entry.held = undefined;
          for (const event of held) if (!sent.has(event.id)) deliver(client, event);
        }
      }
      return () => entries.delete(entry);
    },
  };
}
export type StreamHub = ReturnType<typeof createStreamHub>;

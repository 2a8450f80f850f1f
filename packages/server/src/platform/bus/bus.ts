import type { EventEnvelope } from '@fanzha/domain';

export type Handler = (event: EventEnvelope) => Promise<void>;
/** Applies several events at once (one transaction); throwing means none of them was applied. */
export type BatchHandler = (events: EventEnvelope[]) => Promise<void>;
/** Hears an event live; nothing to acknowledge, nothing to retry. */
export type Listener = (event: EventEnvelope) => void;

export interface SubscribeOptions {
  /**
   * Durable consumer name. Every process that subscribes with the same name shares one stream of work
   * (a queue group): each event is handled by one of them. Different names each get every event.
   */
  consumer: string;
  /** Subjects to receive; a trailing `.>` or `*` follows NATS wildcard rules. */
  subjects: string[];
  /**
   * `shared` (the default): every subscriber takes a share of the events. `one`: one subscriber applies at a
   * time while the others stand by, and one of them takes over when it stops or is gone (on NATS within
   * the lease's time to live) — for a group whose members would contend for the same rows or locks, where a
   * second member adds waits, not throughput. Either way an event may be handled twice around a
   * change of member, never lost.
   */
  members?: 'shared' | 'one';
}

export interface BatchOptions extends SubscribeOptions {
  /** Most events handed to one call; what has arrived while the previous call ran forms the next batch. */
  maxBatch: number;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** How far one consumer group is behind, as far as this process's bus can tell (see `Bus.consumerLag`). */
export interface ConsumerLag {
  /** The consumer name given to `subscribe`/`subscribeBatch` (on NATS the durable is `<namespace>_<consumer>`). */
  consumer: string;
  /** Events for it that no member has been handed yet. */
  pending: number;
  /** Events handed to a member and not acknowledged yet: being applied, or waiting to be delivered again. */
  inFlight: number;
}

/** Cross-process nudges without payload; `outbox`: events were committed, relays should look now. */
export type BusSignal = 'outbox';

/**
 * The event bus. Two implementations: in-process (embedded default) and NATS JetStream (scale-out).
 * Delivery is at-least-once: a handler that throws gets the event again, so handlers must be idempotent
 * (see `processed_event`). Publishing the same envelope id twice is harmless.
 */
export interface Bus {
  readonly kind: 'memory' | 'nats';
  publish(event: EventEnvelope): Promise<void>;
  /** One event per call (as a batch of one). */
  subscribe(options: SubscribeOptions, handler: Handler): Promise<Subscription>;
  /**
   * Several events per call. Acknowledged together once the call returns; when it throws, each of its events
   * is handed again on its own, so one failing event does not hold back the others, and a failed call
   * leaves nothing applied (the handler commits all or nothing).
   */
  subscribeBatch(options: BatchOptions, handler: BatchHandler): Promise<Subscription>;
  /**
   * Live updates for this process: every matching event published from now on, none from before, no
   * acknowledgement and no retry (a missed one is replayed from the outbox by whoever needs it). Nothing
   * durable is created, so any number of processes may listen. `onGap` is called when live events may have
   * been missed — the connection to the broker was lost and is back — so the listener can replay from the
   * outbox (the in-process bus never misses one).
   */
  listen(subjects: string[], listener: Listener, onGap?: () => void): Promise<Subscription>;
  /**
   * Tells the processes listening for `signal` (this one included): every listener without a group, and one
   * listener of each group. Best effort, coalesced.
   */
  signal(signal: BusSignal): void;
  /**
   * `group`: the listeners of one group share the signals, each signal reaching one of them (the outbox
   * relays: one relay woken per commit is enough, as each waits for the one publishing before it looks).
   */
  onSignal(signal: BusSignal, listener: () => void, options?: { group?: string }): Promise<Subscription>;
  /**
   * The lag of each consumer group this process subscribes to, read now: the in-process bus counts its
   * queues; NATS asks the server about each durable consumer (its counts are the whole group's, across
   * every process that shares it).
   */
  consumerLag(): Promise<ConsumerLag[]>;
  close(): Promise<void>;
}

export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

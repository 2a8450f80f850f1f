import type { EventEnvelope } from '@fanzha/domain';
import {
  subjectMatches,
  type BatchHandler,
  type BatchOptions,
  type Bus,
  type BusSignal,
  type Listener,
  type Subscription,
} from './bus';

interface Delivery {
  event: EventEnvelope;
  attempt: number;
}

interface Member {
  handler: BatchHandler;
  maxBatch: number;
  isBusy: boolean;
}

interface Group {
  subjects: string[];
  /** One member applies at a time (the longest subscribed); the others stand by. */
  isOneMember: boolean;
  members: Member[];
  queue: Delivery[];
  /** Events handed to a member and not done yet, or waiting for their next delivery. */
  inFlight: number;
}

/**
 * In-process bus for the embedded default: one process, so a consumer group is a queue and a list of
 * handlers, each taking what has gathered (up to its batch size) whenever it is free. Like JetStream it
 * redelivers an event whose handler threw (a few times, then logs it).
 */
export function createMemoryBus(opts: { onError?: (err: unknown, event: EventEnvelope) => void } = {}): Bus {
  const groups = new Map<string, Group>();
  const listeners = new Set<{ subjects: string[]; listener: Listener }>();
  const signalListeners = new Map<BusSignal, Set<{ group: string | undefined; listener: () => void }>>();
  let signalTurn = 0;
  const pending = new Set<Promise<void>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  const maxDeliveries = 5;

  function track(p: Promise<void>): void {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  function pump(group: Group): void {
    const members = group.isOneMember ? group.members.slice(0, 1) : group.members;
    for (const member of members) {
      if (member.isBusy || group.queue.length === 0) continue;
      member.isBusy = true;
      const batch = group.queue.splice(0, member.maxBatch);
      group.inFlight += batch.length;
      track(
        run(group, member, batch).finally(() => {
          group.inFlight -= batch.length;
          member.isBusy = false;
          pump(group);
        }),
      );
    }
  }

  async function run(group: Group, member: Member, batch: Delivery[]): Promise<void> {
    try {
      await member.handler(batch.map((d) => d.event));
      return;
    } catch (err) {
      if (batch.length === 1) return failed(group, batch[0]!, err);
    }
    // The batch applied nothing: each event goes again alone, so only a failing one is held back.
    for (const d of batch) {
      const alone = { ...d, attempt: d.attempt + 1 };
      try {
        await member.handler([alone.event]);
      } catch (err) {
        failed(group, alone, err);
      }
    }
  }

  function failed(group: Group, d: Delivery, err: unknown): void {
    if (d.attempt >= maxDeliveries) {
      opts.onError?.(err, d.event);
      return;
    }
    group.inFlight += 1;
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      group.inFlight -= 1;
      group.queue.push({ event: d.event, attempt: d.attempt + 1 });
      pump(group);
    }, 10 * d.attempt);
    retryTimers.add(timer);
  }

  async function subscribeBatch(options: BatchOptions, handler: BatchHandler): Promise<Subscription> {
    let group = groups.get(options.consumer);
    if (!group) {
      group = {
        subjects: options.subjects,
        isOneMember: options.members === 'one',
        members: [],
        queue: [],
        inFlight: 0,
      };
      groups.set(options.consumer, group);
    }
    const member: Member = { handler, maxBatch: Math.max(1, options.maxBatch), isBusy: false };
    group.members.push(member);
    const g = group;
    pump(g);
    return Promise.resolve({
      stop() {
        g.members = g.members.filter((m) => m !== member);
        // A standing-by member takes over what waits.
        pump(g);
        return Promise.resolve();
      },
    });
  }

  return {
    kind: 'memory',
    publish(event) {
      for (const { subjects, listener } of listeners) {
        if (!subjects.some((p) => subjectMatches(p, event.subject))) continue;
        // A listener's failure is its own: the publish (and the other listeners) go on.
        try {
          listener(event);
        } catch (err) {
          opts.onError?.(err, event);
        }
      }
      for (const group of groups.values()) {
        if (!group.subjects.some((p) => subjectMatches(p, event.subject))) continue;
        group.queue.push({ event, attempt: 1 });
        // Handlers start after the publisher's turn, as they would across a broker.
        queueMicrotask(() => pump(group));
      }
      return Promise.resolve();
    },
    subscribe(options, handler) {
      return subscribeBatch({ ...options, maxBatch: 1 }, (events) => handler(events[0]!));
    },
    subscribeBatch,
    listen(subjects, listener) {
      const entry = { subjects, listener };
      listeners.add(entry);
      return Promise.resolve({
        stop() {
          listeners.delete(entry);
          return Promise.resolve();
        },
      });
    },
    signal(signal) {
      const byGroup = new Map<string, Array<() => void>>();
      for (const { group, listener } of signalListeners.get(signal) ?? []) {
        if (group === undefined) listener();
        else byGroup.set(group, [...(byGroup.get(group) ?? []), listener]);
      }
      // One listener of each group, taking turns.
      for (const members of byGroup.values()) members[signalTurn++ % members.length]!();
    },
    onSignal(signal, listener, options) {
      const set = signalListeners.get(signal) ?? new Set();
      signalListeners.set(signal, set);
      // A wrapper, so that the same function registered twice is removed once per stop.
      const entry = { group: options?.group, listener: () => listener() };
      set.add(entry);
      return Promise.resolve({
        stop() {
          set.delete(entry);
          return Promise.resolve();
        },
      });
    },
    consumerLag() {
      // A group whose members all stopped keeps its queue here, as a durable consumer keeps its events.
      return Promise.resolve(
        [...groups].map(([consumer, g]) => ({ consumer, pending: g.queue.length, inFlight: g.inFlight })),
      );
    },
    async close() {
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      while (pending.size > 0) await Promise.all(pending);
      groups.clear();
      listeners.clear();
      signalListeners.clear();
    },
  };
}

import type { EventEnvelope } from '@fanzha/domain';
import { subjectMatches, type Bus, type Handler, type SubscribeOptions, type Subscription } from './bus';

interface Group {
  subjects: string[];
  members: Handler[];
  next: number;
}

/**
 * In-process bus for the embedded default: one process, so a consumer group is just a list of handlers
 * taking turns. Like JetStream it redelivers an event whose handler threw (a few times, then logs it).
 */
export function createMemoryBus(opts: { onError?: (err: unknown, event: EventEnvelope) => void } = {}): Bus {
  const groups = new Map<string, Group>();
  const pending = new Set<Promise<void>>();
  const maxDeliveries = 5;

  async function deliver(handler: () => Handler, event: EventEnvelope): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await handler()(event);
        return;
      } catch (err) {
        if (attempt >= maxDeliveries) {
          opts.onError?.(err, event);
          return;
        }
        await new Promise((r) => setTimeout(r, 10 * attempt));
      }
    }
  }

  return {
    kind: 'memory',
    publish(event) {
      for (const group of groups.values()) {
        if (group.members.length === 0 || !group.subjects.some((p) => subjectMatches(p, event.subject)))
          continue;
        // Each delivery picks the next member at delivery time, so a stopped member gets no more work.
        const pick = (): Handler => group.members[group.next++ % group.members.length] ?? noop;
        const p = deliver(pick, event).finally(() => pending.delete(p));
        pending.add(p);
      }
      return Promise.resolve();
    },
    subscribe(options: SubscribeOptions, handler: Handler): Promise<Subscription> {
      let group = groups.get(options.consumer);
      if (!group) {
        group = { subjects: options.subjects, members: [], next: 0 };
        groups.set(options.consumer, group);
      }
      group.members.push(handler);
      const g = group;
      return Promise.resolve({
        stop() {
          g.members = g.members.filter((h) => h !== handler);
          return Promise.resolve();
        },
      });
    },
    async close() {
      await Promise.all(pending);
      groups.clear();
    },
  };
}

const noop: Handler = () => Promise.resolve();

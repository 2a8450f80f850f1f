import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@fanzha/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bus, Handler } from './bus';

/**
 * Behaviour every Bus implementation must show, run by each implementation's test file. `makeBus` must
 * return a bus isolated from the ones made for other cases (for NATS: its own stream and subject prefix),
 * so that no case sees another's events.
 */
export function busContract(name: string, makeBus: () => Promise<Bus>): void {
  describe(`Bus contract: ${name}`, () => {
    const open: Bus[] = [];
    const newBus = async (): Promise<Bus> => {
      const bus = await makeBus();
      open.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('delivers a published event to a subscriber with the same envelope', async () => {
      const bus = await newBus();
      const got = collector();
      await bus.subscribe({ consumer: 'c.same', subjects: ['platform.probe'] }, got.handler);
      const event = makeEvent('platform.probe', 1);
      await bus.publish(event);
      await got.waitForCount(1);
      expect(got.events).toEqual([event]);
    });

    it('gives every event to each of two different consumer names', async () => {
      const bus = await newBus();
      const a = collector();
      const b = collector();
      await bus.subscribe({ consumer: 'c.a', subjects: ['platform.probe'] }, a.handler);
      await bus.subscribe({ consumer: 'c.b', subjects: ['platform.probe'] }, b.handler);
      const events = [1, 2, 3].map((i) => makeEvent('platform.probe', i));
      for (const e of events) await bus.publish(e);
      await a.waitForCount(3);
      await b.waitForCount(3);
      expect(ids(a.events)).toEqual(ids(events));
      expect(ids(b.events)).toEqual(ids(events));
    });

    it('shares the events of one consumer name among its subscribers, each event handled once', async () => {
      const bus = await newBus();
      const first = collector({ delayMs: 1 });
      const second = collector({ delayMs: 1 });
      await bus.subscribe({ consumer: 'c.shared', subjects: ['platform.probe'] }, first.handler);
      await bus.subscribe({ consumer: 'c.shared', subjects: ['platform.probe'] }, second.handler);
      const events = Array.from({ length: 50 }, (_, i) => makeEvent('platform.probe', i));
      await Promise.all(events.map((e) => bus.publish(e)));
      const all = (): EventEnvelope[] => [...first.events, ...second.events];
      await vi.waitFor(() => expect(all().length).toBeGreaterThanOrEqual(50), waitOpts);
      const later = makeEvent('platform.probe', 50);
      await bus.publish(later);
      await vi.waitFor(() => expect(ids(all())).toContain(later.id), waitOpts);
      expect(ids(all())).toEqual(ids([...events, later]));
      expect(first.events.length).toBeGreaterThan(0);
      expect(second.events.length).toBeGreaterThan(0);
    });

    it('delivers again an event whose handler threw (at-least-once)', async () => {
      const bus = await newBus();
      const attempts: EventEnvelope[] = [];
      await bus.subscribe({ consumer: 'c.retry', subjects: ['platform.probe'] }, (e) => {
        attempts.push(e);
        return attempts.length === 1 ? Promise.reject(new Error('transient')) : Promise.resolve();
      });
      const event = makeEvent('platform.probe', 1);
      await bus.publish(event);
      await vi.waitFor(() => expect(attempts.length).toBe(2), waitOpts);
      const later = makeEvent('platform.probe', 2);
      await bus.publish(later);
      await vi.waitFor(() => expect(ids(attempts)).toContain(later.id), waitOpts);
      expect(attempts).toEqual([event, event, later]);
    });

    it('filters by subject with `*` and `>` wildcards', async () => {
      const bus = await newBus();
      const reports = collector();
      const platform = collector();
      const both = collector();
      await bus.subscribe({ consumer: 'c.reports', subjects: ['report.*'] }, reports.handler);
      await bus.subscribe({ consumer: 'c.platform', subjects: ['platform.>'] }, platform.handler);
      await bus.subscribe({ consumer: 'c.both', subjects: ['report.*', 'platform.>'] }, both.handler);
      // Non-matching events go first: each consumer sees events in order, so once the matching ones have
      // arrived, a wrongly matched one would have arrived too.
      const others = [
        makeEvent('report.case.merged', 1),
        makeEvent('stop-payment.stopped', 2),
        makeEvent('platform', 3),
      ];
      const report = makeEvent('report.registered', 4);
      const probe = makeEvent('platform.probe', 5);
      const deep = makeEvent('platform.probe.deep', 6);
      // And one last event for each, after everything else.
      const laterReport = makeEvent('report.closed', 7);
      const laterProbe = makeEvent('platform.probe', 8);
      for (const e of [...others, report, probe, deep, laterReport, laterProbe]) await bus.publish(e);
      await reports.waitForCount(2);
      await platform.waitForCount(3);
      await both.waitForCount(5);
      expect(ids(reports.events)).toEqual(ids([report, laterReport]));
      expect(ids(platform.events)).toEqual(ids([probe, deep, laterProbe]));
      expect(ids(both.events)).toEqual(ids([report, probe, deep, laterReport, laterProbe]));
    });

    it('hands a burst to a batch subscriber in batches, each event once and in order', async () => {
      const bus = await newBus();
      const batches: EventEnvelope[][] = [];
      let isFirst = true;
      let releaseFirst: () => void = () => {};
      const firstHeld = new Promise<void>((r) => (releaseFirst = r));
      await bus.subscribeBatch(
        { consumer: 'c.batch', subjects: ['platform.probe'], maxBatch: 20 },
        async (events) => {
          batches.push(events);
          // The first call is held until the burst is published, so the rest gathers behind it.
          if (isFirst) {
            isFirst = false;
            await firstHeld;
          }
        },
      );
      const events = Array.from({ length: 50 }, (_, i) => makeEvent('platform.probe', i));
      for (const e of events) await bus.publish(e);
      releaseFirst();
      await vi.waitFor(() => expect(batches.flat().length).toBeGreaterThanOrEqual(50), waitOpts);
      await settle();
      expect(batches.flat().map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(Math.max(...batches.map((b) => b.length))).toBe(20);
      expect(batches.length).toBeLessThan(10);
    });

    it('applies a batch whose call failed once: each event again alone, none applied twice', async () => {
      const bus = await newBus();
      const applied: string[] = [];
      const poison = makeEvent('platform.probe', 99);
      let poisonAttempts = 0;
      let isFirst = true;
      let releaseFirst: () => void = () => {};
      const firstHeld = new Promise<void>((r) => (releaseFirst = r));
      await bus.subscribeBatch(
        { consumer: 'c.batch-fail', subjects: ['platform.probe'], maxBatch: 50 },
        async (events) => {
          if (isFirst) {
            isFirst = false;
            await firstHeld;
          }
          // All or nothing, as a transaction: a call with the poison applies none of its events.
          if (events.some((e) => e.id === poison.id) && ++poisonAttempts < 3)
            throw new Error('poison, for now');
          applied.push(...events.map((e) => e.id));
        },
      );
      const before = makeEvent('platform.probe', 0);
      await bus.publish(before);
      const rest = [1, 2, 3].map((i) => makeEvent('platform.probe', i));
      for (const e of [rest[0]!, poison, ...rest.slice(1)]) await bus.publish(e);
      releaseFirst();
      await vi.waitFor(() => expect(applied).toContain(poison.id), { ...waitOpts, timeout: 10_000 });
      await settle();
      expect([...applied].sort()).toEqual(ids([before, ...rest, poison]));
      expect(poisonAttempts).toBe(3);
    });

    it('shares batches of one consumer name among its subscribers', async () => {
      const bus = await newBus();
      const first = collector({ delayMs: 2 });
      const second = collector({ delayMs: 2 });
      const opts = { consumer: 'c.batch-shared', subjects: ['platform.probe'], maxBatch: 5 };
      const each = (c: ReturnType<typeof collector>) => async (events: EventEnvelope[]) => {
        for (const e of events) await c.handler(e);
      };
      await bus.subscribeBatch(opts, each(first));
      await bus.subscribeBatch(opts, each(second));
      const events = Array.from({ length: 60 }, (_, i) => makeEvent('platform.probe', i));
      await Promise.all(events.map((e) => bus.publish(e)));
      const all = (): EventEnvelope[] => [...first.events, ...second.events];
      await vi.waitFor(() => expect(all().length).toBeGreaterThanOrEqual(60), waitOpts);
      await settle();
      expect(ids(all())).toEqual(ids(events));
      expect(first.events.length).toBeGreaterThan(0);
      expect(second.events.length).toBeGreaterThan(0);
    });

    it('applies a one-member group by one subscriber at a time; a standby takes over on stop, nothing lost', async () => {
      const bus = await newBus();
      await expectOneMemberHandOver(bus, bus);
    });

    it('lets every listener hear each event published after it started, and nothing after stop()', async () => {
      const bus = await newBus();
      const early = makeEvent('platform.probe', 0);
      await bus.publish(early);
      const one: EventEnvelope[] = [];
      const two: EventEnvelope[] = [];
      const sub = await bus.listen(['platform.>'], (e) => void one.push(e));
      await bus.listen(['platform.probe', 'report.*'], (e) => void two.push(e));
      const events = [makeEvent('platform.probe', 1), makeEvent('report.changed', 2)];
      for (const e of events) await bus.publish(e);
      await vi.waitFor(() => expect(two).toHaveLength(2), waitOpts);
      await vi.waitFor(() => expect(one).toHaveLength(1), waitOpts);
      expect(two.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(one.map((e) => e.id)).toEqual([events[0]!.id]);
      await sub.stop();
      const later = makeEvent('platform.probe', 3);
      await bus.publish(later);
      await vi.waitFor(() => expect(two).toHaveLength(3), waitOpts);
      await settle();
      expect(one).toHaveLength(1);
    });

    it('passes a signal to every signal listener, and to none after stop()', async () => {
      const bus = await newBus();
      let a = 0;
      let b = 0;
      const sub = await bus.onSignal('outbox', () => a++);
      await bus.onSignal('outbox', () => b++);
      bus.signal('outbox');
      await vi.waitFor(() => expect(a).toBeGreaterThan(0), waitOpts);
      await vi.waitFor(() => expect(b).toBeGreaterThan(0), waitOpts);
      await sub.stop();
      const seen = a;
      bus.signal('outbox');
      await vi.waitFor(() => expect(b).toBeGreaterThan(1), waitOpts);
      expect(a).toBe(seen);
    });

    it('hands each signal to one listener of a group, and to every listener without one', async () => {
      const bus = await newBus();
      let plain = 0;
      const members = [0, 0];
      await bus.onSignal('outbox', () => plain++);
      await bus.onSignal('outbox', () => members[0]!++, { group: 'relays' });
      await bus.onSignal('outbox', () => members[1]!++, { group: 'relays' });
      const signals = 20;
      for (let i = 1; i <= signals; i++) {
        bus.signal('outbox');
        await vi.waitFor(() => expect(plain).toBe(i), waitOpts);
      }
      await settle();
      expect(plain).toBe(signals);
      // Each signal reached exactly one member, and both members had their share.
      expect(members[0]! + members[1]!).toBe(signals);
      expect(Math.min(...members)).toBeGreaterThan(0);
    });

    it('tells how far a consumer group is behind: pending or in flight until acknowledged', async () => {
      const bus = await newBus();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const isStarted = new Promise<void>((r) => (started = r));
      const handled: EventEnvelope[] = [];
      await bus.subscribeBatch(
        { consumer: 'c.lag', subjects: ['platform.probe'], maxBatch: 2 },
        async (events) => {
          started();
          await gate;
          handled.push(...events);
        },
      );
      const events = [1, 2, 3, 4, 5].map((i) => makeEvent('platform.probe', i));
      for (const e of events) await bus.publish(e);
      await isStarted;
      const lag = async () => (await bus.consumerLag()).find((l) => l.consumer === 'c.lag');
      // The handler holds its first batch: nothing is acknowledged, so all five are behind.
      await vi.waitFor(async () => {
        const now = await lag();
        expect(now!.pending + now!.inFlight).toBe(events.length);
        expect(now!.inFlight).toBeGreaterThan(0);
      }, waitOpts);
      release();
      await vi.waitFor(() => expect(handled.length).toBe(events.length), waitOpts);
      await vi.waitFor(
        async () => expect(await lag()).toEqual({ consumer: 'c.lag', pending: 0, inFlight: 0 }),
        waitOpts,
      );
    });

    it('delivers nothing more to a subscriber after stop()', async () => {
      const bus = await newBus();
      const stopped = collector();
      const witness = collector();
      const sub = await bus.subscribe(
        { consumer: 'c.stopped', subjects: ['platform.probe'] },
        stopped.handler,
      );
      await bus.subscribe({ consumer: 'c.witness', subjects: ['platform.probe'] }, witness.handler);
      const before = makeEvent('platform.probe', 1);
      await bus.publish(before);
      await stopped.waitForCount(1);
      await sub.stop();
      await bus.publish(makeEvent('platform.probe', 2));
      await witness.waitForCount(2);
      // A stopped subscriber has no stream left to send a later event on: this one case gives a wrong
      // delivery a moment to show up.
      await settle();
      expect(stopped.events).toEqual([before]);
    });
  });
}

/** Polling, not sleeping: cases finish as soon as the bus delivers. */
export const waitOpts = { timeout: 5_000, interval: 10 };

/**
 * Leaves time for a wrong extra delivery to show up before asserting there was none — only where no later
 * event can be sent on the same stream (a consumer sees its events in order, so elsewhere a later event
 * that has arrived bounds everything before it).
 */
export function settle(ms = 150): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * An envelope for any subject: the wildcard cases need subjects beyond the typed event map, and the bus
 * does not look at the data.
 */
export function makeEvent(subject: string, seq: number): EventEnvelope {
  return {
    id: randomUUID(),
    subject,
    version: 1,
    occurredAt: new Date().toISOString(),
    data: { seq, note: 'bus contract' },
  } as unknown as EventEnvelope;
}

/**
 * Two subscribers of a one-member group (on one bus, or on two processes' buses): the first applies every
 * event while the second stands by, and once the first stops the second applies what follows; nothing lost.
 */
export async function expectOneMemberHandOver(one: Bus, two: Bus): Promise<void> {
  const first = collector({ delayMs: 1 });
  const second = collector({ delayMs: 1 });
  const opts = { consumer: 'c.one', subjects: ['platform.probe'], maxBatch: 5, members: 'one' as const };
  const each = (c: ReturnType<typeof collector>) => async (events: EventEnvelope[]) => {
    for (const e of events) await c.handler(e);
  };
  const firstSub = await one.subscribeBatch(opts, each(first));
  await two.subscribeBatch(opts, each(second));
  const before = Array.from({ length: 30 }, (_, i) => makeEvent('platform.probe', i));
  await Promise.all(before.map((e) => one.publish(e)));
  await vi.waitFor(() => expect(first.events.length).toBeGreaterThanOrEqual(30), waitOpts);
  await firstSub.stop();
  const after = Array.from({ length: 20 }, (_, i) => makeEvent('platform.probe', 30 + i));
  await Promise.all(after.map((e) => one.publish(e)));
  await vi.waitFor(() => expect(second.events.length).toBeGreaterThanOrEqual(20), waitOpts);
  await settle();
  expect(ids(first.events)).toEqual(ids(before));
  expect(ids(second.events)).toEqual(ids(after));
}

export function ids(events: EventEnvelope[]): string[] {
  return events.map((e) => e.id).sort();
}

/** Publishes a later event and waits until `got` has it: any wrong earlier delivery has arrived by then. */
export async function publishLater(
  bus: Bus,
  got: { events: EventEnvelope[] },
  subject = 'platform.probe',
): Promise<EventEnvelope> {
  const later = makeEvent(subject, 1_000);
  await bus.publish(later);
  await vi.waitFor(() => expect(ids(got.events)).toContain(later.id), waitOpts);
  return later;
}

export function collector(opts: { delayMs?: number } = {}) {
  const events: EventEnvelope[] = [];
  const handler: Handler = async (e) => {
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    events.push(e);
  };
  return {
    events,
    handler,
    waitForCount: (n: number) => vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(n), waitOpts),
  };
}

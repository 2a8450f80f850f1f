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

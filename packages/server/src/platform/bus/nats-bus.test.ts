import { randomBytes } from 'node:crypto';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '@fanzha/domain';
import type { BatchOptions, Bus } from './bus';
import {
  busContract,
  collector,
  expectOneMemberHandOver,
  ids,
  makeEvent,
  publishLater,
  settle,
  waitOpts,
} from './bus.contract';
import { createNatsBus, natsNames, type NatsBusOptions } from './nats-bus';
import { durableName } from './nats-setup';
import { isNatsRequiredForTests, natsUrlForTests } from '../../../testing/nats-test-env';

const natsUrl = await natsUrlForTests();
const isRequired = isNatsRequiredForTests();
if (!natsUrl && !isRequired) {
  console.warn(
    'NATS JetStream not reachable (FANZHA_TEST_NATS_URL or nats://127.0.0.1:4222): skipping NATS bus tests',
  );
}

// Each bus gets its own namespace, unique to this run, so cases never see each other's events and never
// touch a running deployment's stream.
const run = randomBytes(4).toString('hex');
const streams: string[] = [];
function isolatedTarget(): Pick<NatsBusOptions, 'namespace'> {
  const namespace = `fztest-${run}-${streams.length}`;
  const names = natsNames(namespace);
  streams.push(names.stream, `KV_${names.leaseBucket}`);
  return { namespace };
}

describe.skipIf(!natsUrl && !isRequired)('NATS JetStream bus', () => {
  const url = natsUrl ?? '';
  let admin: NatsConnection;

  beforeAll(async () => {
    if (!natsUrl) throw new Error('CI=true: NATS JetStream must be reachable at FANZHA_TEST_NATS_URL');
    admin = await connect({ servers: url });
  });
  afterAll(async () => {
    if (!admin) return;
    const jsm = await jetstreamManager(admin);
    await Promise.all(streams.map((s) => jsm.streams.delete(s).catch(() => false)));
    await admin.drain();
  });

  busContract('nats', () => createNatsBus({ url, ...isolatedTarget() }));

  describe('JetStream specifics', () => {
    const open: Bus[] = [];
    const open$ = async (opts: NatsBusOptions): Promise<Bus> => {
      const bus = await createNatsBus(opts);
      open.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('drops a republished envelope within the duplicate window', async () => {
      const bus = await open$({ url, ...isolatedTarget() });
      const got = collector();
      await bus.subscribe({ consumer: 'dedupe', subjects: ['platform.probe'] }, got.handler);
      const event = makeEvent('platform.probe', 1);
      await bus.publish(event);
      await bus.publish(event);
      const marker = makeEvent('platform.probe', 2);
      await bus.publish(marker);
      // The marker comes after the copy on the same stream: once it has arrived, so would have the copy.
      await got.waitForCount(2);
      expect(ids(got.events)).toEqual(ids([event, marker]));
    });

    it('delivers events published before the durable consumer existed', async () => {
      const bus = await open$({ url, ...isolatedTarget() });
      const early = makeEvent('platform.probe', 1);
      await bus.publish(early);
      const got = collector();
      await bus.subscribe({ consumer: 'late', subjects: ['platform.probe'] }, got.handler);
      await got.waitForCount(1);
      expect(got.events).toEqual([early]);
    });

    it('keeps events published while no subscriber runs, and does not redeliver acked ones', async () => {
      const bus = await open$({ url, ...isolatedTarget() });
      const first = collector();
      const sub = await bus.subscribe({ consumer: 'gap', subjects: ['platform.probe'] }, first.handler);
      const acked = makeEvent('platform.probe', 1);
      await bus.publish(acked);
      await first.waitForCount(1);
      await sub.stop();
      const missed = makeEvent('platform.probe', 2);
      await bus.publish(missed);
      const second = collector();
      await bus.subscribe({ consumer: 'gap', subjects: ['platform.probe'] }, second.handler);
      await second.waitForCount(1);
      const later = await publishLater(bus, second);
      expect(second.events).toEqual([missed, later]);
    });

    it('resumes a durable consumer where it left off after close and reconnect', async () => {
      const target = isolatedTarget();
      const before = await createNatsBus({ url, ...target });
      const first = collector();
      await before.subscribe({ consumer: 'resume', subjects: ['platform.>'] }, first.handler);
      const old = [makeEvent('platform.probe', 1), makeEvent('platform.probe', 2)];
      for (const e of old) await before.publish(e);
      await first.waitForCount(2);
      await before.close();

      const after = await open$({ url, ...target });
      const fresh = makeEvent('platform.probe', 3);
      await after.publish(fresh);
      const second = collector();
      await after.subscribe({ consumer: 'resume', subjects: ['platform.>'] }, second.handler);
      await second.waitForCount(1);
      const later = await publishLater(after, second);
      expect(second.events).toEqual([fresh, later]);
    });

    it('shares a consumer name across processes (separate connections)', async () => {
      const target = isolatedTarget();
      const one = await open$({ url, ...target });
      const two = await open$({ url, ...target });
      const a = collector({ delayMs: 1 });
      const b = collector({ delayMs: 1 });
      await one.subscribe({ consumer: 'workers', subjects: ['platform.probe'] }, a.handler);
      await two.subscribe({ consumer: 'workers', subjects: ['platform.probe'] }, b.handler);
      const events = Array.from({ length: 40 }, (_, i) => makeEvent('platform.probe', i));
      await Promise.all(events.map((e) => one.publish(e)));
      await vi.waitFor(() => expect(a.events.length + b.events.length).toBeGreaterThanOrEqual(40), waitOpts);
      const later = makeEvent('platform.probe', 40);
      await one.publish(later);
      await vi.waitFor(() => expect(ids([...a.events, ...b.events])).toContain(later.id), waitOpts);
      expect(ids([...a.events, ...b.events])).toEqual(ids([...events, later]));
      expect(a.events.length).toBeGreaterThan(0);
      expect(b.events.length).toBeGreaterThan(0);
    });

    it('follows changed subjects of an existing durable consumer without replaying acked events', async () => {
      const bus = await open$({ url, ...isolatedTarget() });
      const first = collector();
      const sub = await bus.subscribe({ consumer: 'moving', subjects: ['report.*'] }, first.handler);
      await bus.publish(makeEvent('report.registered', 1));
      await first.waitForCount(1);
      await sub.stop();

      const second = collector();
      await bus.subscribe({ consumer: 'moving', subjects: ['platform.probe', 'report.*'] }, second.handler);
      const report = makeEvent('report.registered', 2);
      await bus.publish(report);
      await second.waitForCount(1);
      const later = await publishLater(bus, second, 'report.registered');
      expect(second.events).toEqual([report, later]);
    });

    it('moves an existing durable consumer to other subjects', async () => {
      const bus = await open$({ url, ...isolatedTarget() });
      const sub = await bus.subscribe({ consumer: 'moved', subjects: ['report.*'] }, collector().handler);
      await sub.stop();
      const got = collector();
      await bus.subscribe({ consumer: 'moved', subjects: ['platform.probe'] }, got.handler);
      const probe = makeEvent('platform.probe', 2);
      await bus.publish(makeEvent('report.registered', 1));
      await bus.publish(probe);
      // The probe comes after the report event on the same stream: a wrong delivery would be there first.
      await vi.waitFor(() => expect(ids(got.events)).toContain(probe.id), waitOpts);
      expect(got.events).toEqual([probe]);
    });

    it('terminates a malformed message, logs it, and carries on', async () => {
      const target = isolatedTarget();
      const errors: unknown[] = [];
      const log = { warn: () => {}, error: (obj: unknown) => void errors.push(obj) };
      const bus = await open$({ url, ...target, log });
      const got = collector();
      await bus.subscribe({ consumer: 'strict', subjects: ['platform.probe'] }, got.handler);
      await jetstream(admin).publish(`${natsNames(target.namespace).eventPrefix}.platform.probe`, 'not json');
      const good = makeEvent('platform.probe', 1);
      await bus.publish(good);
      await got.waitForCount(1);
      expect(got.events).toEqual([good]);
      await vi.waitFor(() => expect(errors).toHaveLength(1), waitOpts);
    });

    it('keeps two deployments (namespaces) on one server apart: events, consumers, listeners, signals', async () => {
      const a = isolatedTarget();
      const b = isolatedTarget();
      const [a1, a2, b1] = [
        await open$({ url, ...a }),
        await open$({ url, ...a }),
        await open$({ url, ...b }),
      ];
      const work = { consumer: 'wall-rollup', subjects: ['report.changed'], maxBatch: 50 };
      const aWork: EventEnvelope[] = [];
      const bWork: EventEnvelope[] = [];
      await a2.subscribeBatch(work, async (events) => void aWork.push(...events));
      await b1.subscribeBatch(work, async (events) => void bWork.push(...events));
      const aLive: EventEnvelope[] = [];
      const bLive: EventEnvelope[] = [];
      await a2.listen(['report.changed'], (e) => void aLive.push(e));
      await b1.listen(['report.changed'], (e) => void bLive.push(e));
      let aSignals = 0;
      let bSignals = 0;
      await a2.onSignal('outbox', () => aSignals++);
      await b1.onSignal('outbox', () => bSignals++);

      const fromA = [1, 2, 3].map((i) => makeEvent('report.changed', i));
      for (const e of fromA) await a1.publish(e);
      a1.signal('outbox');
      const fromB = makeEvent('report.changed', 4);
      await b1.publish(fromB);

      // Another process of deployment A hears A's events live and takes A's work; B only its own.
      await vi.waitFor(() => expect(aWork).toHaveLength(3), waitOpts);
      await vi.waitFor(() => expect(aLive).toHaveLength(3), waitOpts);
      await vi.waitFor(() => expect(aSignals).toBe(1), waitOpts);
      await vi.waitFor(() => expect(bWork).toHaveLength(1), waitOpts);
      await vi.waitFor(() => expect(bLive).toHaveLength(1), waitOpts);
      await settle();
      expect(ids(aWork)).toEqual(ids(fromA));
      expect(ids(aLive)).toEqual(ids(fromA));
      expect(bWork.map((e) => e.id)).toEqual([fromB.id]);
      expect(bLive.map((e) => e.id)).toEqual([fromB.id]);
      expect(bSignals).toBe(0);

      // Each deployment has its own stream, holding its own events and its own durable consumer.
      const jsm = await jetstreamManager(admin);
      for (const [target, count] of [
        [a, 3],
        [b, 1],
      ] as const) {
        const names = natsNames(target.namespace);
        expect((await jsm.streams.info(names.stream)).state.messages).toBe(count);
        const consumers = [];
        for await (const c of jsm.consumers.list(names.stream)) consumers.push(c.name);
        expect(consumers).toEqual([names.durable('wall-rollup')]);
      }
    });

    it('does not hand a batch consumer again what it acknowledged before stop()', async () => {
      const target = isolatedTarget();
      const bus = await open$({ url, ...target });
      const opts = { consumer: 'batch-resume', subjects: ['platform.probe'], maxBatch: 100 };
      const first: EventEnvelope[] = [];
      const sub = await bus.subscribeBatch(opts, async (events) => void first.push(...events));
      const old = Array.from({ length: 30 }, (_, i) => makeEvent('platform.probe', i));
      await Promise.all(old.map((e) => bus.publish(e)));
      await vi.waitFor(() => expect(first).toHaveLength(30), waitOpts);
      await sub.stop();
      const fresh = makeEvent('platform.probe', 31);
      await bus.publish(fresh);
      const other = await open$({ url, ...target });
      const second: EventEnvelope[] = [];
      await other.subscribeBatch(opts, async (events) => void second.push(...events));
      await vi.waitFor(() => expect(second).toHaveLength(1), waitOpts);
      await settle();
      expect(second).toEqual([fresh]);
    });

    it('hands a group taking several subjects only those subjects’ events, on every server version', async () => {
      const target = isolatedTarget();
      const bus = await open$({ url, ...target });
      const got: EventEnvelope[] = [];
      const opts = { consumer: 'picky', subjects: ['report.changed', 'platform.probe'], maxBatch: 50 };
      await bus.subscribeBatch(opts, async (events) => void got.push(...events));
      const taken = [makeEvent('report.changed', 1), makeEvent('platform.probe', 2)];
      const others = Array.from({ length: 20 }, (_, i) => makeEvent('wall.changed', i));
      for (const e of [...others.slice(0, 10), taken[0]!, ...others.slice(10), taken[1]!])
        await bus.publish(e);
      await vi.waitFor(() => expect(got).toHaveLength(2), waitOpts);
      expect(ids(got)).toEqual(ids(taken));
      // The server filters: the group's durables delivered the two events and nothing of the others (one
      // durable over every subject would have handed all 22 over, for the process to parse and drop).
      const names = natsNames(target.namespace);
      const jsm = await jetstreamManager(admin);
      let delivered = 0;
      for await (const c of jsm.consumers.list(names.stream)) delivered += c.delivered.consumer_seq;
      expect(delivered).toBe(2);
      expect(await bus.consumerLag()).toEqual([{ consumer: 'picky', pending: 0, inFlight: 0 }]);
    });

    it('takes over a group’s durable of another shape after its acknowledged events, and removes it', async () => {
      const target = isolatedTarget();
      const names = natsNames(target.namespace);
      const bus = await open$({ url, ...target });
      const acked = [makeEvent('report.changed', 1), makeEvent('platform.probe', 2)];
      for (const e of acked) await bus.publish(e);
      // One durable over every subject of the deployment, as a process of an earlier version made it on a
      // server before 2.10, having acknowledged the events so far.
      const jsm = await jetstreamManager(admin);
      const group = names.durable('reshaped');
      await jsm.consumers.add(names.stream, {
        durable_name: group,
        ack_policy: AckPolicy.Explicit,
        filter_subject: `${names.eventPrefix}.>`,
      });
      const old = await jetstream(admin).consumers.get(names.stream, group);
      for (let i = 0; i < acked.length; i++) await (await old.next({ expires: 5_000 }))!.ackAck();
      const missed = makeEvent('platform.probe', 3);
      await bus.publish(missed);

      const got: EventEnvelope[] = [];
      const opts = { consumer: 'reshaped', subjects: ['report.changed', 'platform.probe'], maxBatch: 50 };
      await bus.subscribeBatch(opts, async (events) => void got.push(...events));
      await vi.waitFor(() => expect(got).toHaveLength(1), waitOpts);
      const later = makeEvent('report.changed', 4);
      await bus.publish(later);
      await vi.waitFor(() => expect(got).toHaveLength(2), waitOpts);
      await settle();
      expect(ids(got)).toEqual(ids([missed, later]));
      const left: string[] = [];
      for await (const c of jsm.consumers.list(names.stream)) left.push(c.name);
      // One durable for the group on NATS 2.10 and later, one per subject before: none of another shape.
      const isOneDurable = left.length === 1 && left[0] === group;
      const isPerSubject = left.length === 2 && left.every((name) => name.startsWith(`${group}__`));
      expect(isOneDurable || isPerSubject, left.join(', ')).toBe(true);
    });

    it('takes over durables caught up with the stream without replaying it, however old their floors', async () => {
      const target = isolatedTarget();
      const names = natsNames(target.namespace);
      const bus = await open$({ url, ...target });
      const jsm = await jetstreamManager(admin);
      const group = names.durable('seldom');
      // A durable per subject, as on NATS 2.9: one for a subject seldom published, acknowledged long ago.
      const durableOf = async (subject: string) => {
        const name = durableName(`${group}__${subject}`);
        await jsm.consumers.add(names.stream, {
          durable_name: name,
          ack_policy: AckPolicy.Explicit,
          filter_subject: `${names.eventPrefix}.${subject}`,
        });
        return jetstream(admin).consumers.get(names.stream, name);
      };
      const seldom = await durableOf('report.changed');
      const often = await durableOf('platform.probe');
      await bus.publish(makeEvent('report.changed', 1));
      await (await seldom.next({ expires: 5_000 }))!.ackAck();
      // Published while the group did not take its subject: not the group's to hear afterwards.
      await bus.publish(makeEvent('wall.changed', 2));
      for (let i = 0; i < 10; i++) await bus.publish(makeEvent('platform.probe', 3 + i));
      for (let i = 0; i < 10; i++) await (await often.next({ expires: 5_000 }))!.ackAck();

      const got: EventEnvelope[] = [];
      const opts = {
        consumer: 'seldom',
        subjects: ['report.changed', 'platform.probe', 'wall.changed'],
        maxBatch: 50,
      };
      await bus.subscribeBatch(opts, async (events) => void got.push(...events));
      const later = makeEvent('wall.changed', 20);
      await bus.publish(later);
      await vi.waitFor(() => expect(got).toHaveLength(1), waitOpts);
      await settle();
      expect(got).toEqual([later]);
    });

    it('keeps a one-member group standing by while another process holds its lease, and takes over when it expires', async () => {
      const target = isolatedTarget();
      const names = natsNames(target.namespace);
      const leaseTtlMs = 1_500;
      const bus = await open$({ url, ...target, leaseTtlMs });
      // A holder in another process that stops renewing (it crashed): its lease is left to expire.
      const leases = await new Kvm(admin).create(names.leaseBucket, { ttl: leaseTtlMs, history: 1 });
      const key = names.durable('one-member');
      await leases.create(key, 'crashed-holder');
      const holdersSeen: string[] = [];
      const got = collector();
      await bus.subscribeBatch(
        { consumer: 'one-member', subjects: ['platform.probe'], maxBatch: 10, members: 'one' },
        async (events) => {
          holdersSeen.push((await leases.get(key))?.string() ?? '');
          for (const e of events) await got.handler(e);
        },
      );
      const events = Array.from({ length: 5 }, (_, i) => makeEvent('platform.probe', i));
      for (const e of events) await bus.publish(e);
      await vi.waitFor(() => expect(got.events.length).toBeGreaterThanOrEqual(5), {
        ...waitOpts,
        timeout: 15_000,
      });
      expect(ids(got.events)).toEqual(ids(events));
      // Nothing was applied while the crashed holder's lease lasted: this member held it at every batch.
      expect(holdersSeen.length).toBeGreaterThan(0);
      expect(holdersSeen).not.toContain('crashed-holder');
      expect(new Set(holdersSeen).size).toBe(1);
    });

    it('has a holder that cannot pull give its lease up, so the group does not stall', async () => {
      const target = isolatedTarget();
      const names = natsNames(target.namespace);
      const opts: BatchOptions = {
        consumer: 'one-member',
        subjects: ['platform.probe'],
        maxBatch: 10,
        members: 'one',
      };
      const got = collector();
      const handler = async (events: EventEnvelope[]) => {
        for (const e of events) await got.handler(e);
      };
      const troubles: unknown[] = [];
      const log = { warn: () => {}, error: (obj: unknown) => void troubles.push(obj) };
      const first = await open$({ url, ...target, leaseTtlMs: 1_500 });
      const second = await open$({ url, ...target, leaseTtlMs: 1_500, log });
      const holding = await first.subscribeBatch(opts, handler);
      await second.subscribeBatch(opts, handler);
      // Someone removes the group's durable by hand, then the holder stops: the standby takes the lease over
      // and cannot pull.
      const jsm = await jetstreamManager(admin);
      for (const c of await jsm.consumers.list(names.stream).next())
        await jsm.consumers.delete(names.stream, c.name);
      await holding.stop();
      await vi.waitFor(
        () =>
          expect(troubles).toContainEqual(expect.objectContaining({ consumer: names.durable('one-member') })),
        {
          ...waitOpts,
          timeout: 15_000,
        },
      );
      // A member starting now makes the durable again; the group applies what follows.
      const third = await open$({ url, ...target, leaseTtlMs: 1_500 });
      await third.subscribeBatch(opts, handler);
      const event = makeEvent('platform.probe', 1);
      await third.publish(event);
      await vi.waitFor(() => expect(ids(got.events)).toEqual([event.id]), { ...waitOpts, timeout: 15_000 });
    });

    it('lets one member of a one-member group apply across processes, and the other take over when it stops', async () => {
      const target = isolatedTarget();
      await expectOneMemberHandOver(await open$({ url, ...target }), await open$({ url, ...target }));
    });

    it('rejects publish when the stream does not take the event', async () => {
      const target = isolatedTarget();
      const bus = await open$({ url, ...target });
      await (await jetstreamManager(admin)).streams.delete(natsNames(target.namespace).stream);
      await expect(bus.publish(makeEvent('platform.probe', 1))).rejects.toThrow();
    });
  });
});

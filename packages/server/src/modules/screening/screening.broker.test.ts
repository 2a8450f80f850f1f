import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestClock } from '@fanzha/domain';
import { isNatsRequiredForTests, natsUrlForTests } from '../../../testing/nats-test-env';
import { indicator, listReader, recordingWarnings } from '../../../testing/screening-kit';
import { freshDatabase, storageKinds, type TestDatabase } from '../../../testing/test-databases';
import { createMetrics } from '../../platform/metrics/metrics';
import {
  defaultSignalStreamLimits,
  ensureSignalStream,
  signalStreamNames,
  startSignalConsumer,
  type SignalConsumer,
} from './screening.nats';
import { createScreeningService, type ScreeningService } from './screening.service';

const natsUrl = await natsUrlForTests();
const isRequired = isNatsRequiredForTests();
const run = randomBytes(4).toString('hex');
const quiet = { warn() {}, error() {}, info() {} };
// A bound on waiting for a condition, not a pace: generous, for a loaded 2-core machine.
const waitOpts = { timeout: 40_000, interval: 20 };
const at = '2026-05-01T07:59:00Z';
const call = (id: string, from = '17012345678') => ({
  id,
  at,
  subscriber: '+8613800138000',
  countyCode: '520102',
  from,
  durationS: 30,
  isInternational: false,
});
const batchOf = (ids: string[]) =>
  JSON.stringify({ kind: 'call', operator: 'china_mobile', sentAt: at, signals: ids.map((id) => call(id)) });

describe.skipIf(!natsUrl && !isRequired)('screening on NATS JetStream', () => {
  const url = natsUrl ?? '';
  let admin: NatsConnection;
  let database: TestDatabase;
  let n = 0;
  const namespaces: string[] = [];

  beforeAll(async () => {
    if (!natsUrl) throw new Error('CI=true: NATS JetStream must be reachable at FANZHA_TEST_NATS_URL');
    admin = await connect({ servers: url });
    // PostgreSQL where it answers (as in production), else PGlite.
    database = await freshDatabase(storageKinds.includes('postgres') ? 'postgres' : 'pglite');
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(admin);
    await Promise.all(
      namespaces.map((ns) => jsm.streams.delete(signalStreamNames(ns).stream).catch(() => false)),
    );
    await admin.drain();
    await database.close();
  });

  /** A namespace of this run, a sink of its own, and a worker factory whose screenings are recorded. */
  async function setup() {
    const namespace = `fzsig-${run}-${n++}`;
    namespaces.push(namespace);
    const sink = await recordingWarnings(database.db, `hit_${namespace.replace(/-/g, '_')}`);
    const reader = listReader([indicator(1, 'phone', '+8617012345678')]);
    const consumers: SignalConsumer[] = [];
    const worker = async (opts: { ackWaitMs?: number; hang?: boolean } = {}) => {
      const service = createScreeningService({
        db: database.db,
        clock: new TestClock(at),
        indicators: reader,
        warnings: sink,
        metrics: createMetrics(),
        log: quiet,
      });
      await service.loadMatcher();
      const handled: string[] = [];
      const screening: Pick<ScreeningService, 'screen' | 'deadLetterBatch'> = {
        async screen(raw, via) {
          const outcome = await service.screen(raw, via);
          handled.push(...outcome.batch.items.map((i) => i.signalId));
          // Committed, then the process dies before its acknowledgement.
          if (opts.hang) await consumer.abandon();
          return outcome;
        },
        deadLetterBatch: service.deadLetterBatch,
      };
      const consumer: SignalConsumer = await startSignalConsumer({
        url,
        namespace,
        screening,
        log: quiet,
        ackWaitMs: opts.ackWaitMs ?? 1_000,
      });
      consumers.push(consumer);
      return { handled, consumer };
    };
    const js = jetstream(admin);
    const subject = signalStreamNames(namespace).subjects.call;
    const publish = (text: string) => js.publish(subject, text);
    const stopAll = () => Promise.all(consumers.map((c) => c.stop().catch(() => undefined)));
    return { sink, worker, publish, stopAll };
  }

  it('shares the stream between two workers as a queue group: each batch screened once', async () => {
    const { sink, worker, publish, stopAll } = await setup();
    const a = await worker();
    const b = await worker();
    const ids = Array.from({ length: 40 }, (_, i) => `q${i}`);
    for (const id of ids) await publish(batchOf([id]));
    await vi.waitFor(() => expect(a.handled.length + b.handled.length).toBe(40), waitOpts);
    expect([...a.handled, ...b.handled].sort()).toEqual([...ids].sort());
    expect(a.handled.length).toBeGreaterThan(0);
    expect(b.handled.length).toBeGreaterThan(0);
    expect(await sink.rows()).toHaveLength(40);
    await stopAll();
  });

  it('gives a batch whose worker died after committing, before acknowledging, to another: it warns once', async () => {
    const { sink, worker, publish, stopAll } = await setup();
    const dying = await worker({ hang: true });
    await publish(batchOf(['r1', 'r2']));
    await vi.waitFor(() => expect(dying.handled).toEqual(['r1', 'r2']), waitOpts);
    const survivor = await worker();
    await vi.waitFor(() => expect(survivor.handled).toEqual(['r1', 'r2']), waitOpts);
    expect((await sink.rows()).map((r) => r.signal_id)).toEqual(['r1', 'r2']);
    await stopAll();
  });

  it('dead-letters a poison batch and screens the good batch after it', async () => {
    const { sink, worker, publish, stopAll } = await setup();
    const before = await sql<{ n: number }>`select count(*) as n from signal_dead_letter`.execute(
      database.db,
    );
    const w = await worker();
    await publish('\u0000{not json');
    await publish(
      JSON.stringify({
        kind: 'call',
        operator: 'china_mobile',
        sentAt: at,
        signals: [{ id: 'p1' }, call('g1')],
      }),
    );
    await publish(batchOf(['g2']));
    // Batches are screened several at once: the good ones may finish in either order.
    await vi.waitFor(() => expect([...w.handled].sort()).toEqual(['g1', 'g2']), waitOpts);
    expect((await sink.rows()).map((r) => r.signal_id).sort()).toEqual(['g1', 'g2']);
    // The poison batch is screened beside the good ones (several batches at once): wait for its commit too.
    await vi.waitFor(async () => {
      const after = await sql<{ n: number }>`select count(*) as n from signal_dead_letter`.execute(
        database.db,
      );
      expect(Number(after.rows[0]!.n) - Number(before.rows[0]!.n)).toBe(2);
    }, waitOpts);
    const kept = await sql<{ signal_id: string | null; problems: Array<{ reason: string }> }>`
      select signal_id, problems from signal_dead_letter order by id desc limit 2`.execute(database.db);
    expect(kept.rows.map((r) => [r.signal_id, r.problems[0]!.reason]).sort()).toEqual(
      [
        ['p1', 'invalid_type'],
        [null, 'invalid_json'],
      ].sort(),
    );
    await stopAll();
  });

  it('retries a batch whose commit failed and warns once it succeeds', async () => {
    const { sink, worker, publish, stopAll } = await setup();
    sink.failNext(2);
    const w = await worker();
    await publish(batchOf(['f1']));
    await vi.waitFor(() => expect(w.handled).toEqual(['f1']), waitOpts);
    expect((await sink.rows()).map((r) => r.signal_id)).toEqual(['f1']);
    await stopAll();
  });

  it('refuses at start, naming the setting, a cap the NATS server cannot reserve; a cap it can is kept', async () => {
    const namespace = `fzsig-${run}-${n++}`;
    namespaces.push(namespace);
    const names = signalStreamNames(namespace);
    const jsm = await jetstreamManager(admin);
    // A pebibyte: more than any disk this server stores on (it reserves max_bytes when a stream is made).
    const tooMuch = { ...defaultSignalStreamLimits, maxBytes: 1024 ** 5 };
    await expect(ensureSignalStream(jsm, names, tooMuch, 30_000)).rejects.toThrow(
      /cannot reserve 1125899906842624 bytes for the signals stream .*FANZHA_SIGNALS_MAX_BYTES/,
    );
    await ensureSignalStream(jsm, names, { ...defaultSignalStreamLimits, maxBytes: 2 * 1024 ** 2 }, 30_000);
    expect((await jsm.streams.info(names.stream)).config.max_bytes).toBe(2 * 1024 ** 2);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiClient, type IntakeReportInput } from '@fanzha/contracts';
import { createCast, createHarness, signInCast } from '../../../testing/app-harness';
import { cardOf, draft } from '../../../testing/core-loop-fixtures';
import { isNatsRequiredForTests, natsUrlForTests } from '../../../testing/nats-test-env';
import { committedEvents } from '../../../testing/outbox-events';
import { freshDatabase, isPostgresAvailable, type TestDatabase } from '../../../testing/test-databases';
import { natsNames } from '../../platform/bus/nats-setup';
import { applyIndicatorEvents } from '../indicators/index';
import { defaultSignalStreamLimits, ensureSignalStream, signalStreamNames } from './screening.nats';

/**
 * A real crash of a screening worker: two `worker` processes (started as an operator starts them,
 * `FANZHA_ROLE=worker`) share the signals stream on PostgreSQL + NATS; one is killed with SIGKILL while
 * batches are in flight, more batches follow. Every signal that named the indicator must be listed once
 * (no hit lost), each person in one episode with one first SMS (nobody warned twice), and the batches the
 * dead worker held must have gone to the survivor.
 */
const main = fileURLToPath(new URL('../../main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const natsUrl = await natsUrlForTests();
if (!natsUrl && isNatsRequiredForTests()) throw new Error('NATS with JetStream is required in CI');
/** The harness's field keys (32 bytes of 9), so that the workers read what it wrote. */
const SECRET_KEY = '09'.repeat(32);
const FRAUD_PHONE = '17055501234';
const BATCHES = 120;
const PER_BATCH = 20;
/** Every HIT_EVERY-th signal is a call from the fraud number to a person of its own. */
const HIT_EVERY = 4;
const HITS = (BATCHES * PER_BATCH) / HIT_EVERY;
/** A batch unacknowledged this long goes to another worker (the test makes the consumer: short). */
const ACK_WAIT_MS = 3_000;
// A bound on waiting for a condition, not a pace: generous, for a loaded 2-core machine.
const waitOpts = { timeout: 120_000, interval: 50 };
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** A `worker` process on the test's database and namespace; resolves once it answers `/api/health`. */
async function startWorker(env: Record<string, string>): Promise<ChildProcess & { log: () => string }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = s.address() as { port: number };
      s.close(() => resolve(free));
    });
  });
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...env,
      FANZHA_ROLE: 'worker',
      FANZHA_PORT: String(port),
      FANZHA_HOST: '127.0.0.1',
      FANZHA_DEMO: 'off',
      FANZHA_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const api = createApiClient({ baseUrl: `http://127.0.0.1:${port}` });
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}: ${err}`);
        return api.GET('/api/health').then(
          () => true,
          () => false,
        );
      },
      { timeout: 120_000, interval: 200 },
    )
    .toBe(true);
  return Object.assign(child, { log: () => err });
}

/** The fraud number as an indicator, the way a report makes one (the indicators consumer's own code). */
async function indicatorFromReport(database: TestDatabase): Promise<void> {
  const h = await createHarness(database);
  const cast = [['taker', 'call_taker', {}]] as const;
  await createCast(h, cast);
  const { taker } = await signInCast(h, cast);
  const { version: _v, ...body } = draft({
    at: h.clock.now(),
    transfers: [{ number: cardOf('ICBC', 4242), amountFen: 800_000 }],
    complete: true,
  });
  const report: IntakeReportInput = {
    id: randomUUID(),
    ...body,
    contacts: [{ key: 'c0', kind: 'phone', value: FRAUD_PHONE }],
  };
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: { cookie: taker! },
    payload: report,
  });
  expect(res.statusCode, res.body).toBe(201);
  const events = await committedEvents(database.db, { subjects: ['report.changed'] });
  await applyIndicatorEvents(
    { db: database.db, clock: h.clock, sharedReports: 50, wake: () => undefined },
    events.map((e) => e.event),
  );
  // Everything the harness committed is published on its own bus before it closes: the workers' relays
  // find nothing left to send.
  await expect
    .poll(
      async () =>
        (await database.db.selectFrom('outbox').select('id').where('published_at', 'is', null).execute())
          .length,
      waitOpts,
    )
    .toBe(0);
  await h.close();
}

function batchOf(b: number): string {
  const at = new Date().toISOString();
  const signals = Array.from({ length: PER_BATCH }, (_, k) => {
    const i = b * PER_BATCH + k;
    const isHit = i % HIT_EVERY === 0;
    return {
      id: `c${i}`,
      at,
      subscriber: `+86139${String(i).padStart(8, '0')}`,
      countyCode: '520102',
      from: isHit ? FRAUD_PHONE : `+86133${String(i).padStart(8, '0')}`,
      durationS: 30,
      isInternational: false,
    };
  });
  return JSON.stringify({ kind: 'call', operator: 'china_mobile', sentAt: at, signals });
}

const count = async (database: TestDatabase, query: RawBuilder<{ n: string }>) =>
  Number((await query.execute(database.db)).rows[0]!.n);

describe.skipIf(!isPostgresAvailable || !natsUrl)(
  'screening across a worker killed [postgres + nats]',
  () => {
    it('loses no hit and warns nobody twice when a worker is killed with SIGKILL mid-stream', async () => {
      const database = await freshDatabase('postgres');
      cleanups.push(() => database.close());
      await indicatorFromReport(database);

      const namespace = `fzscrash-${randomBytes(4).toString('hex')}`;
      const names = signalStreamNames(namespace);
      const nc: NatsConnection = await connect({ servers: natsUrl });
      const jsm: JetStreamManager = await jetstreamManager(nc);
      cleanups.push(async () => {
        for (const s of [names.stream, natsNames(namespace).stream])
          await jsm.streams.delete(s).catch(() => undefined);
        await nc.close();
      });
      // The consumer as the workers would make it, with a short acknowledgement wait.
      await ensureSignalStream(
        jsm,
        names,
        { ...defaultSignalStreamLimits, maxBytes: 64 * 1024 ** 2 },
        ACK_WAIT_MS,
      );
      const env = {
        DATABASE_URL: database.url!,
        NATS_URL: natsUrl!,
        FANZHA_NATS_NAMESPACE: namespace,
        FANZHA_SECRET_KEY: SECRET_KEY,
        FANZHA_SIGNALS_MAX_BYTES: String(64 * 1024 ** 2),
      };
      const doomed = await startWorker(env);
      const survivor = await startWorker(env);
      const killed = new Promise<NodeJS.Signals | null>((r) => doomed.once('exit', (_c, s) => r(s)));

      const js = jetstream(nc);
      const warnings = () => count(database, sql<{ n: string }>`select count(*) as n from episode_warning`);
      // The first half, then the kill as soon as the workers are committing its hits, then the rest.
      for (let b = 0; b < BATCHES / 2; b++) await js.publish(names.subjects.call, batchOf(b));
      await expect.poll(warnings, waitOpts).toBeGreaterThan(0);
      const inFlight = await jsm.consumers.info(names.stream, names.durable);
      doomed.kill('SIGKILL');
      expect(await killed).toBe('SIGKILL');
      // Killed mid-stream: batches were still pending or unacknowledged.
      expect(inFlight.num_pending + inFlight.num_ack_pending).toBeGreaterThan(0);
      for (let b = BATCHES / 2; b < BATCHES; b++) await js.publish(names.subjects.call, batchOf(b));

      await expect.poll(warnings, waitOpts).toBe(HITS);
      // Drained: nothing pending or unacknowledged that a late redelivery could still list again.
      await expect
        .poll(async () => {
          const info = await jsm.consumers.info(names.stream, names.durable);
          return info.num_pending + info.num_ack_pending;
        }, waitOpts)
        .toBe(0);
      expect(survivor.exitCode, survivor.log()).toBeNull();

      const hits = Array.from({ length: HITS }, (_, j) => `c${j * HIT_EVERY}`).sort();
      const listed = await sql<{ signal_id: string }>`
      select signal_id from episode_warning order by signal_id`.execute(database.db);
      expect(listed.rows.map((r) => r.signal_id)).toEqual(hits);
      // One episode per person, each with its one warning and its one first SMS.
      expect(await count(database, sql<{ n: string }>`select count(*) as n from episode`)).toBe(HITS);
      expect(
        await count(database, sql<{ n: string }>`select count(distinct person_phone_bidx) as n from episode`),
      ).toBe(HITS);
      const perEpisode = await sql<{ warnings: string; sms: string }>`
      select (select count(*) from episode_warning w where w.episode_id = e.id) as warnings,
             (select count(*) from episode_contact c where c.episode_id = e.id and c.channel = 'sms') as sms
      from episode e`.execute(database.db);
      expect(perEpisode.rows.filter((r) => Number(r.warnings) !== 1 || Number(r.sms) !== 1)).toEqual([]);
      // The dead worker's unacknowledged batches went to the survivor: more deliveries than batches (a
      // redelivery counts in the consumer's sequence, not in the stream's).
      const { delivered } = await jsm.consumers.info(names.stream, names.durable);
      expect(delivered.stream_seq).toBe(BATCHES);
      expect(delivered.consumer_seq).toBeGreaterThan(BATCHES);
      survivor.kill('SIGTERM');
    }, 300_000);
  },
);

/**
 * The outbox path every event takes: commit (change + event) → relay → bus → consumer applying it once.
 * Prints throughput and commit→consumer latency for PGlite + in-process bus and PostgreSQL + NATS.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { migrate, openDatabase, type Database } from '../packages/server/src/db/database';
import type { Bus } from '../packages/server/src/platform/bus/bus';
import { createMemoryBus } from '../packages/server/src/platform/bus/memory-bus';
import { createNatsBus, natsNames } from '../packages/server/src/platform/bus/nats-bus';
import { systemClock } from '../packages/server/src/platform/clock';
import { newEvent } from '../packages/server/src/platform/events';
import { enqueue, outboxStats, processOnce } from '../packages/server/src/platform/outbox/outbox';
import { createRelay } from '../packages/server/src/platform/outbox/relay';
import { machine, natsUrl, percentile, pgUrl, report } from './support';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const THROUGHPUT_EVENTS = 5_000;
const LATENCY_EVENTS = 300;

async function run(label: string, database: Database, bus: Bus): Promise<void> {
  await migrate(database.db);
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  let applied = 0;
  await bus.subscribe({ consumer: 'bench', subjects: ['platform.probe'] }, async (event) => {
    await processOnce(database.db, 'bench', event, async () => {});
    const t = committedAt.get(event.id);
    if (t !== undefined) latencies.push(performance.now() - t);
    applied++;
  });
  const relay = createRelay({ db: database.db, bus, log: quiet, pollMs: 50 });
  relay.start();
  const until = async (n: number) => {
    while (applied < n) await new Promise((r) => setTimeout(r, 2));
  };

  // Throughput: events committed in transactions of 100, as a busy intake would.
  const t0 = performance.now();
  for (let i = 0; i < THROUGHPUT_EVENTS; i += 100) {
    const batch = Array.from({ length: 100 }, (_, j) =>
      newEvent('platform.probe', { seq: i + j, note: '' }, systemClock),
    );
    await database.db.transaction().execute((trx) => enqueue(trx, ...batch));
    relay.wake();
  }
  const committedS = (performance.now() - t0) / 1000;
  while ((await outboxStats(database.db)).unpublished > 0) await new Promise((r) => setTimeout(r, 2));
  const publishedS = (performance.now() - t0) / 1000;
  await until(THROUGHPUT_EVENTS);
  const seconds = (performance.now() - t0) / 1000;
  report(`outbox_${label}_commit_events_per_s`, Math.round(THROUGHPUT_EVENTS / committedS), 'events/s');
  report(`outbox_${label}_relay_events_per_s`, Math.round(THROUGHPUT_EVENTS / publishedS), 'events/s');
  report(`outbox_${label}_consumed_events_per_s`, Math.round(THROUGHPUT_EVENTS / seconds), 'events/s');

  // Latency: one event per transaction at a human pace, commit → consumer applied.
  for (let i = 0; i < LATENCY_EVENTS; i++) {
    const e = newEvent('platform.probe', { seq: i, note: '' }, systemClock);
    await database.db.transaction().execute((trx) => enqueue(trx, e));
    committedAt.set(e.id, performance.now());
    relay.wake();
    await until(THROUGHPUT_EVENTS + i + 1);
  }
  const sorted = latencies.sort((a, b) => a - b);
  report(`outbox_${label}_latency_p50_ms`, percentile(sorted, 50), 'ms');
  report(`outbox_${label}_latency_p99_ms`, percentile(sorted, 99), 'ms');
  await relay.stop();
  await bus.close();
  await database.close();
}

console.log(`# machine: ${machine()}`);
await run('pglite_memory', await openDatabase({ kind: 'pglite' }), createMemoryBus());

const name = `fanzha_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(pgUrl);
url.pathname = `/${name}`;
const namespace = name.replace(/_/g, '-');
const stream = natsNames(namespace).stream;
try {
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await run('postgres_nats', database, await createNatsBus({ url: natsUrl, namespace }));
} finally {
  const nc = await connect({ servers: natsUrl });
  await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
  await nc.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

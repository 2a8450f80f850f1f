/**
 * An event consumer on PostgreSQL + NATS JetStream draining a backlog: events already in the stream, a
 * consumer applying each once (a `processed_event` marker and one effect row per event, in the
 * transaction of the effect).
 *  - consumer_events_per_s: batched (`subscribeBatch`, one transaction per batch, acknowledgements not
 *    awaited, markers written in one statement per batch);
 *  - consumer_single_events_per_s: the same work one event per transaction (`subscribe` + `processOnce`),
 *    as every consumer ran before;
 *  - consumer_nats_only_events_per_s: the batch consumer doing nothing, the bus's own ceiling.
 * FANZHA_BENCH_CONSUMER_EVENTS (default 20,000) sets the backlog.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openDatabase, type Database } from '../packages/server/src/db/database';
import type { Bus } from '../packages/server/src/platform/bus/bus';
import { createNatsBus, natsNames } from '../packages/server/src/platform/bus/nats-bus';
import { systemClock } from '../packages/server/src/platform/clock';
import { newEvent } from '../packages/server/src/platform/events';
import { processBatchOnce, processOnce } from '../packages/server/src/platform/outbox/outbox';
import { machine, natsUrl, pgUrl, report } from './support';

const EVENTS = Number(process.env.FANZHA_BENCH_CONSUMER_EVENTS ?? 20_000);
const MAX_BATCH = 500;

async function backlog(bus: Bus, count: number): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    const chunk = Array.from({ length: Math.min(500, count - i) }, (_, j) =>
      newEvent('platform.probe', { seq: i + j, note: 'consumer bench' }, systemClock),
    );
    await Promise.all(chunk.map((e) => bus.publish(e)));
  }
}

async function drain(
  bus: Bus,
  count: number,
  subscribe: (onApplied: (n: number) => void) => Promise<{ stop(): Promise<void> }>,
): Promise<number> {
  let applied = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const t0 = performance.now();
  const sub = await subscribe((n) => {
    applied += n;
    if (applied >= count) done();
  });
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  await sub.stop();
  return Math.round(count / seconds);
}

async function run(database: Database, namespace: string): Promise<void> {
  await migrate(database.db);
  await sql`create table bench_effect (event_id uuid primary key, seq int not null)`.execute(database.db);
  const bus = await createNatsBus({ url: natsUrl, namespace });
  const seqOf = (e: { data: unknown }) => (e.data as { seq: number }).seq;
  try {
    await backlog(bus, EVENTS);
    const load = loadavg()[0]!.toFixed(1);
    const batched = await drain(bus, EVENTS, (onApplied) =>
      bus.subscribeBatch(
        { consumer: 'bench-batched', subjects: ['platform.probe'], maxBatch: MAX_BATCH },
        async (events) => {
          await processBatchOnce(database.db, 'bench-batched', events, async (trx, fresh) => {
            await trx
              .insertInto('bench_effect' as never)
              .values(fresh.map((e) => ({ event_id: e.id, seq: seqOf(e) })))
              .execute();
          });
          onApplied(events.length);
        },
      ),
    );
    report('consumer_events_per_s', batched, 'events/s');
    console.log(`# load average (1 min) at the start of the batched drain: ${load}`);

    await sql`truncate bench_effect`.execute(database.db);
    const single = Math.min(EVENTS, 5_000);
    const one = await drain(bus, single, (onApplied) =>
      bus.subscribe({ consumer: 'bench-single', subjects: ['platform.probe'] }, async (event) => {
        await processOnce(database.db, 'bench-single', event, async (trx) => {
          await trx
            .insertInto('bench_effect' as never)
            .values({ event_id: event.id, seq: seqOf(event) })
            .execute();
        });
        onApplied(1);
      }),
    );
    report('consumer_single_events_per_s', one, 'events/s');

    const bare = await drain(bus, EVENTS, (onApplied) =>
      bus.subscribeBatch(
        { consumer: 'bench-bare', subjects: ['platform.probe'], maxBatch: MAX_BATCH },
        async (events) => onApplied(events.length),
      ),
    );
    report('consumer_nats_only_events_per_s', bare, 'events/s');
  } finally {
    await bus.close();
  }
}

console.log(`# machine: ${machine()}`);
const name = `fanzha_bench_${randomBytes(4).toString('hex')}`;
const namespace = name.replace(/_/g, '-');
const admin = new pg.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(pgUrl);
url.pathname = `/${name}`;
try {
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  try {
    await run(database, namespace);
  } finally {
    await database.close();
  }
} finally {
  const nc = await connect({ servers: natsUrl });
  await (await jetstreamManager(nc)).streams.delete(natsNames(namespace).stream).catch(() => undefined);
  await nc.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

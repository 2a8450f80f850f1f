/**
 * Test fixture, run as a child process by `outbox.crash.test.ts`: commits a change with its event, then
 * dies by SIGKILL at the chosen moment — right after the commit, after the broker acknowledged the publish
 * but before the outbox row was marked, or (`mid-batch`) once everything is published, inside a batch
 * consumer's transaction after part of its effect was written. Nothing is cleaned up: that is the point.
 */
import type { EventEnvelope } from '@fanzha/domain';
import { sql } from 'kysely';
import { openDatabase } from '../../db/database';
import type { Bus } from '../bus/bus';
import { createMemoryBus } from '../bus/memory-bus';
import { createNatsBus } from '../bus/nats-bus';
import { systemClock } from '../clock';
import { newEvent } from '../events';
import { enqueue, processBatchOnce } from './outbox';
import { createRelay } from './relay';

const CRASH_CONSUMER = 'crash-test';
/** Short, so that the batch of a killed consumer goes to the next one within the test's patience. */
const CRASH_ACK_WAIT_MS = 1_000;

const [mode, storage, natsUrl, namespace] = process.argv.slice(2);
if ((mode !== 'after-commit' && mode !== 'after-publish' && mode !== 'mid-batch') || !storage)
  throw new Error('usage: MODE STORAGE [NATS NAMESPACE]');

const database = await openDatabase(
  storage.startsWith('postgres') ? { kind: 'postgres', url: storage } : { kind: 'pglite', dataDir: storage },
);
const bus: Bus =
  natsUrl && natsUrl !== '-'
    ? await createNatsBus({ url: natsUrl, namespace: namespace ?? 'crash', ackWaitMs: CRASH_ACK_WAIT_MS })
    : createMemoryBus();

const events = [1, 2, 3].map((seq) => newEvent('platform.probe', { seq, note: mode }, systemClock));
await database.db.transaction().execute(async (trx) => {
  for (const e of events) await sql`insert into crash_probe (event_id) values (${e.id})`.execute(trx);
  await enqueue(trx, ...events);
});
process.stdout.write(`${events.map((e) => e.id).join(',')}\n`);

if (mode === 'after-commit') process.kill(process.pid, 'SIGKILL');

if (mode === 'mid-batch') {
  // Dies holding the batch: one effect row written, nothing committed, nothing acknowledged.
  await bus.subscribeBatch(
    { consumer: CRASH_CONSUMER, subjects: ['platform.probe'], maxBatch: 10 },
    (batch: EventEnvelope[]) =>
      processBatchOnce(database.db, CRASH_CONSUMER, batch, async (trx, fresh) => {
        await sql`insert into crash_effect (event_id) values (${fresh[0]!.id})`.execute(trx);
        process.kill(process.pid, 'SIGKILL');
      }).then(() => undefined),
  );
  await createRelay({ db: database.db, bus, log: console, pollMs: 1000 }).flush();
} else {
  const relay = createRelay({
    db: database.db,
    bus,
    log: console,
    pollMs: 1000,
    afterPublish: () => {
      process.kill(process.pid, 'SIGKILL');
    },
  });
  await relay.flush();
}

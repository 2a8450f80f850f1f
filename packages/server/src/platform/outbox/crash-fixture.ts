/**
 * Test fixture, run as a child process by `outbox.crash.test.ts`: commits a change with its event, then
 * dies by SIGKILL at the chosen moment — right after the commit, or after the broker acknowledged the
 * publish but before the outbox row was marked. Nothing is cleaned up: that is the point.
 */
import { sql } from 'kysely';
import { openDatabase } from '../../db/database';
import type { Bus } from '../bus/bus';
import { createMemoryBus } from '../bus/memory-bus';
import { createNatsBus } from '../bus/nats-bus';
import { systemClock } from '../clock';
import { newEvent } from '../events';
import { enqueue } from './outbox';
import { createRelay } from './relay';

const [mode, storage, natsUrl, stream, prefix] = process.argv.slice(2);
if ((mode !== 'after-commit' && mode !== 'after-publish') || !storage)
  throw new Error('usage: MODE STORAGE [NATS STREAM PREFIX]');

const database = await openDatabase(
  storage.startsWith('postgres') ? { kind: 'postgres', url: storage } : { kind: 'pglite', dataDir: storage },
);
const bus: Bus =
  natsUrl && natsUrl !== '-'
    ? await createNatsBus({
        url: natsUrl,
        ...(stream ? { stream } : {}),
        ...(prefix ? { subjectPrefix: prefix } : {}),
      })
    : createMemoryBus();

const events = [1, 2, 3].map((seq) => newEvent('platform.probe', { seq, note: mode }, systemClock));
await database.db.transaction().execute(async (trx) => {
  for (const e of events) await sql`insert into crash_probe (event_id) values (${e.id})`.execute(trx);
  await enqueue(trx, ...events);
});
process.stdout.write(`${events.map((e) => e.id).join(',')}\n`);

if (mode === 'after-commit') process.kill(process.pid, 'SIGKILL');

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

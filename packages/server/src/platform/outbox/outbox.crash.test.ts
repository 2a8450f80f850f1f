import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from '../../db/database';
import { freshDatabase, isPostgresAvailable } from '../../../testing/test-databases';
import type { Bus } from '../bus/bus';
import { createMemoryBus } from '../bus/memory-bus';
import { createNatsBus } from '../bus/nats-bus';
import { isNatsRequiredForTests, natsUrlForTests } from '../../../testing/nats-test-env';
import { systemClock } from '../clock';
import { newEvent } from '../events';
import { enqueue, processBatchOnce } from './outbox';
import { natsNames } from '../bus/nats-setup';
import { createRelay } from './relay';

/**
 * A real crash: a child process commits three changes with their events and is killed (SIGKILL) right after
 * the commit, after the broker acknowledged the publish but before the rows were marked, or (on NATS, whose
 * stream keeps an unacknowledged batch) in the middle of a batch consumer's transaction. A new process
 * then starts the relay and a batch consumer: every event must arrive, and be applied once.
 */
const fixture = fileURLToPath(new URL('./crash-fixture.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const natsUrl = await natsUrlForTests();
if (!natsUrl && isNatsRequiredForTests()) throw new Error('NATS with JetStream is required in CI');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function runFixture(args: string[]): Promise<{ ids: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], { cwd: repoRoot });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const ids = out.trim().split(',').filter(Boolean);
      if (ids.length !== 3) reject(new Error(`fixture failed (code ${code}, signal ${signal}): ${err}`));
      else resolve({ ids, signal });
    });
  });
}

async function prepare(database: Database): Promise<void> {
  await migrate(database.db);
  await sql`create table crash_probe (event_id uuid primary key)`.execute(database.db);
  await sql`create table crash_effect (event_id uuid not null)`.execute(database.db);
}

async function recover(database: Database, bus: Bus, ids: string[]): Promise<void> {
  await bus.subscribeBatch(
    { consumer: 'crash-test', subjects: ['platform.probe'], maxBatch: 10 },
    async (events) => {
      await processBatchOnce(database.db, 'crash-test', events, async (trx, fresh) => {
        for (const e of fresh) await sql`insert into crash_effect (event_id) values (${e.id})`.execute(trx);
      });
    },
  );
  const relay = createRelay({ db: database.db, bus, log: quiet, pollMs: 1000 });
  await relay.flush();
  const effects = async () =>
    (
      await sql<{ event_id: string }>`select event_id from crash_effect order by event_id`.execute(
        database.db,
      )
    ).rows.map((r) => r.event_id);
  await expect.poll(effects, { timeout: 10_000, interval: 50 }).toEqual([...ids].sort());
  // A second relay round must change nothing, nor may a stray copy of an event already on the stream:
  // the stream is ordered, so once a later event has been applied, any such copy has been delivered.
  expect(await relay.flush()).toBe(0);
  const later = newEvent('platform.probe', { seq: 4, note: 'later' }, systemClock);
  await enqueue(database.db, later);
  expect(await relay.flush()).toBe(1);
  await expect.poll(effects, { timeout: 10_000, interval: 50 }).toContain(later.id);
  expect(await effects()).toEqual([...ids, later.id].sort());
  const unpublished = await database.db
    .selectFrom('outbox')
    .select('id')
    .where('published_at', 'is', null)
    .execute();
  expect(unpublished).toEqual([]);
}

describe('outbox across a crash [pglite + in-process bus]', () => {
  for (const mode of ['after-commit', 'after-publish'] as const) {
    it(`loses nothing and applies nothing twice when killed ${mode}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'fanzha-crash-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const setup = await openDatabase({ kind: 'pglite', dataDir: dir });
      await prepare(setup);
      await setup.close();

      const { ids, signal } = await runFixture([mode, dir]);
      expect(signal).toBe('SIGKILL');

      const database = await openDatabase({ kind: 'pglite', dataDir: dir });
      const bus = createMemoryBus();
      await recover(database, bus, ids);
      await bus.close();
      await database.close();
    });
  }
});

describe.skipIf(!isPostgresAvailable || !natsUrl)('outbox across a crash [postgres + nats]', () => {
  for (const mode of ['after-commit', 'after-publish', 'mid-batch'] as const) {
    it(`loses nothing and applies nothing twice when killed ${mode}`, async () => {
      const database = await freshDatabase('postgres', { migrated: false });
      cleanups.push(() => database.close());
      await prepare(database);
      const namespace = `fzcrash-${randomBytes(4).toString('hex')}`;
      cleanups.push(async () => {
        const nc = await connect({ servers: natsUrl });
        await (await jetstreamManager(nc)).streams.delete(natsNames(namespace).stream).catch(() => undefined);
        await nc.close();
      });

      const { ids, signal } = await runFixture([mode, database.url!, natsUrl!, namespace]);
      expect(signal).toBe('SIGKILL');
      if (mode === 'mid-batch') {
        // The killed transaction left nothing: no effect, no marker, every event published.
        expect((await sql`select event_id from crash_effect`.execute(database.db)).rows).toEqual([]);
        expect((await sql`select event_id from processed_event`.execute(database.db)).rows).toEqual([]);
      }

      const bus = await createNatsBus({ url: natsUrl!, namespace, ackWaitMs: 1_000 });
      await recover(database, bus, ids);
      await bus.close();
    });
  }
});

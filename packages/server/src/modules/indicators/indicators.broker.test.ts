import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, EventEnvelope } from '@fanzha/domain';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCast, createHarness, signInCast, type Harness } from '../../../testing/app-harness';
import { cardOf, draft } from '../../../testing/core-loop-fixtures';
import { isNatsRequiredForTests, natsUrlForTests } from '../../../testing/nats-test-env';
import { freshDatabase, isPostgresAvailable, type TestDatabase } from '../../../testing/test-databases';
import type { Bus, Subscription } from '../../platform/bus/bus';
import { createNatsBus, natsNames } from '../../platform/bus/nats-bus';
import { startIndicatorConsumer } from './index';

const natsUrl = await natsUrlForTests();
if (!natsUrl && isNatsRequiredForTests()) throw new Error('NATS with JetStream is required in CI');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const REPORTS = 12;

/**
 * Two workers share the registry's consumer group on NATS; the first batch either of them takes fails (the
 * clock throws inside the transaction), so those events are handed again. Every indicator must come out counted
 * once, with one source and one `indicator.changed`.
 */
describe.skipIf(!isPostgresAvailable || !natsUrl)('the indicators consumer group [postgres + nats]', () => {
  const namespace = `fzind-${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let h: Harness;
  const buses: Bus[] = [];
  const consumers: Subscription[] = [];
  const c: Record<string, string> = {};
  let failures = 0;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const bus = async () => {
      const b = await createNatsBus({ url: natsUrl!, namespace });
      buses.push(b);
      return b;
    };
    const env = { DATABASE_URL: database.url!, NATS_URL: natsUrl!, FANZHA_SECRET_KEY: '09'.repeat(32) };
    h = await createHarness(database, { env, bus: await bus() });
    let hasFailed = false;
    const failingOnce: Clock = {
      now: () => {
        if (!hasFailed) {
          hasFailed = true;
          failures++;
          throw new Error('injected: the worker fails its first batch');
        }
        return h.clock.now();
      },
    };
    for (let i = 0; i < 2; i++) {
      const b = await bus();
      consumers.push(
        await startIndicatorConsumer({
          db: database.db,
          bus: b,
          // Whichever worker takes the first batch fails it.
          clock: failingOnce,
          log: quiet,
          sharedReports: 50,
          wake: () => b.signal('outbox'),
        }),
      );
    }
    const users = [['taker', 'call_taker', {}]] as const;
    await createCast(h, users);
    Object.assign(c, await signInCast(h, users));
  });
  afterAll(async () => {
    for (const s of consumers) await s.stop();
    await h?.close();
    await Promise.all(buses.map((b) => b.close()));
    const nc = await connect({ servers: natsUrl! });
    await (await jetstreamManager(nc)).streams.delete(natsNames(namespace).stream).catch(() => false);
    await nc.close();
    await database?.close();
  });

  it('counts every report once across two workers and a failed batch', async () => {
    const expected = new Set<string>();
    const heard = new Map<string, number>();
    let done: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const live = await buses[0]!.listen(['indicator.changed'], (e) => {
      const d = (e as EventEnvelope<'indicator.changed'>).data;
      heard.set(`${d.kind}:${d.value}`, (heard.get(`${d.kind}:${d.value}`) ?? 0) + 1);
      if ([...expected].every((k) => heard.has(k)) && expected.size === 2 * REPORTS) done();
    });
    try {
      for (let i = 0; i < REPORTS; i++) {
        const card = cardOf('CCB', 5100 + i);
        const phone = `1360013${String(i).padStart(4, '0')}`;
        expected.add(`account:${card}`);
        expected.add(`phone:+86${phone}`);
        const body = draft({
          at: h.clock.now(),
          transfers: [{ number: card, amountFen: 100_000 }],
          complete: true,
        });
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/reports',
          headers: { cookie: c.taker! },
          payload: {
            ...body,
            id: randomUUID(),
            version: undefined,
            contacts: [{ key: 'p', kind: 'phone', value: phone }],
          },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      await all;
    } finally {
      await live.stop();
    }
    expect(failures).toBe(1);
    const rows = await database.db
      .selectFrom('indicator')
      .select(['kind', 'value', 'report_count', 'loss_fen'])
      .execute();
    expect(rows.map((r) => `${r.kind}:${r.value}`).sort()).toEqual([...expected].sort());
    expect(rows.every((r) => Number(r.report_count) === 1 && Number(r.loss_fen) === 100_000)).toBe(true);
    const sources = await database.db.selectFrom('indicator_source').select('indicator_id').execute();
    expect(sources).toHaveLength(2 * REPORTS);
    const events = await database.db
      .selectFrom('outbox')
      .select('event_id')
      .where('subject', '=', 'indicator.changed')
      .execute();
    expect(events).toHaveLength(2 * REPORTS);
  });
});

import type { EventEnvelope } from '@fanzha/domain';
import { TestClock } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { countingDb } from '../../../testing/statement-count';
import { describeEachStorage } from '../../../testing/test-databases';
import type { DB } from '../../db/schema';
import type { Bus } from '../bus/bus';
import { createMemoryBus } from '../bus/memory-bus';
import { newEvent } from '../events';
import { createFieldKeys, openFieldKeys, withFieldKeys } from '../crypto/field-cipher';
import { enqueue, enqueueMany, openEnvelopes, outboxStats, processOnce } from './outbox';
import { createRelay } from './relay';

const waitOpts = { timeout: 10_000, interval: 20 };

const clock = new TestClock('2026-03-01T08:00:00Z');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Empties the outbox; `seen` gets the sequence number of each probe the bus delivers, in order. */
async function emptyOutboxAndWatcher(db: Kysely<DB>): Promise<{ bus: Bus; seen: number[] }> {
  await db.deleteFrom('outbox').execute();
  const bus = createMemoryBus();
  const seen: number[] = [];
  await bus.subscribe({ consumer: 'order', subjects: ['platform.>'] }, async (e) => {
    seen.push((e as EventEnvelope<'platform.probe'>).data.seq);
  });
  return { bus, seen };
}

describeEachStorage('outbox', (database, kind) => {
  it('keeps an event only when its transaction commits', async () => {
    const { db } = database();
    const kept = newEvent('platform.probe', { seq: 1, note: 'kept' }, clock);
    const lost = newEvent('platform.probe', { seq: 2, note: 'rolled back' }, clock);
    await db.transaction().execute((trx) => enqueue(trx, kept));
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueue(trx, lost);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const ids = await db.selectFrom('outbox').select('event_id').execute();
    expect(ids.map((r) => r.event_id)).toContain(kept.id);
    expect(ids.map((r) => r.event_id)).not.toContain(lost.id);
  });

  it('writes many events in one statement exactly as enqueue writes them: sealed, in order, in the transaction', async () => {
    const { db } = database();
    const keys = createFieldKeys(Buffer.alloc(32, 7));
    await openFieldKeys(db, keys, clock.now());
    const keyed = withFieldKeys(db, keys);
    await db.deleteFrom('outbox').execute();
    const one = newEvent('platform.probe', { seq: 0, note: '王五 13800138000' }, clock);
    const many = Array.from({ length: 3_000 }, (_, i) =>
      newEvent('platform.probe', { seq: i + 1, note: `王五 ${i}` }, clock),
    );
    await keyed.transaction().execute((trx) => enqueue(trx, one));
    await keyed.transaction().execute((trx) => enqueueMany(trx, many));
    // Rolled back with its transaction, as enqueue is.
    const lost = newEvent('platform.probe', { seq: -1, note: '' }, clock);
    await expect(
      keyed.transaction().execute(async (trx) => {
        await enqueueMany(trx, [lost]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await db
      .selectFrom('outbox')
      .select(['event_id', 'envelope', 'subject'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.event_id)).toEqual([one.id, ...many.map((e) => e.id)]);
    // Stored the same way: a sealed string naming nobody, opened by the relay's reader to the same events.
    const types = await sql<{ type: string; n: number }>`
      select jsonb_typeof(envelope) as type, count(*)::int as n from outbox group by 1`.execute(db);
    expect(types.rows).toEqual([{ type: 'string', n: 3_001 }]);
    expect(JSON.stringify(rows.map((r) => r.envelope))).not.toContain('王五');
    expect(await openEnvelopes(keyed, rows)).toEqual([one, ...many]);
    // Without the keys (a bare handle), as enqueue: the envelope as it is.
    await db.deleteFrom('outbox').execute();
    await enqueueMany(db, many.slice(0, 2));
    const plain = await db.selectFrom('outbox').select(['event_id', 'envelope']).orderBy('id').execute();
    expect(plain.map((r) => r.envelope)).toEqual(many.slice(0, 2));
    await db.deleteFrom('outbox').execute();
  });

  it('publishes in commit order, marks rows, and publishes nothing twice on the next round', async () => {
    const { db } = database();
    const { bus, seen } = await emptyOutboxAndWatcher(db);
    const events = Array.from({ length: 25 }, (_, i) =>
      newEvent('platform.probe', { seq: i, note: '' }, clock),
    );
    await enqueue(db, ...events);
    const relay = createRelay({ db, bus, log: quiet, pollMs: 1000, batchSize: 10 });
    expect(await relay.flush()).toBe(25);
    expect(await relay.flush()).toBe(0);
    await bus.close();
    expect(seen).toEqual(events.map((_, i) => i));
    expect(await outboxStats(db)).toEqual({ unpublished: 0, oldestUnpublishedAgeS: null });
  });

  it('publishes a batch in two statements: the lock with the read, then the mark', async () => {
    const { db } = database();
    const { bus, seen } = await emptyOutboxAndWatcher(db);
    const events = Array.from({ length: 5 }, (_, i) =>
      newEvent('platform.probe', { seq: i, note: '' }, clock),
    );
    await enqueue(db, ...events);
    const counted = countingDb(db);
    const relay = createRelay({ db: counted.db, bus, log: quiet, pollMs: 1000, batchSize: 10 });
    expect(await relay.flush()).toBe(5);
    expect(counted.count(), counted.kinds.join(', ')).toBe(2);
    counted.reset();
    expect(await relay.flush()).toBe(0);
    expect(counted.count(), counted.kinds.join(', ')).toBe(1);
    await bus.close();
    expect(seen).toEqual(events.map((_, i) => i));
  });

  it('lets one relay look at a time: another relay woken meanwhile waits, then publishes what came since, in order', async (ctx) => {
    // PGlite has one connection: a second relay's round waits for the first's transaction anyway.
    if (kind === 'pglite') return ctx.skip();
    const { db } = database();
    const { bus, seen } = await emptyOutboxAndWatcher(db);
    const events = Array.from({ length: 6 }, (_, i) =>
      newEvent('platform.probe', { seq: i, note: '' }, clock),
    );
    await enqueue(db, ...events.slice(0, 2));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let isHolding!: () => void;
    const holding = new Promise<void>((r) => (isHolding = r));
    let rounds = 0;
    const first = createRelay({
      db,
      bus,
      log: quiet,
      pollMs: 60_000,
      afterPublish: async () => {
        if (rounds++ > 0) return;
        isHolding();
        await held;
      },
    });
    const second = createRelay({ db, bus, log: quiet, pollMs: 60_000 });
    const firstRound = first.flush();
    await holding;
    // Committed while the first relay's round, which read before it, is publishing: the commit wakes the
    // second relay only (as an api process wakes one worker's relay).
    await enqueue(db, ...events.slice(2));
    let isSecondDone = false;
    const secondRound = second.flush().finally(() => (isSecondDone = true));
    // It waits for the lock (without it, it would publish rows 2–5 before the first relay's 0–1 went out).
    await expect
      .poll(async () => {
        const waiting = await sql<{ n: number }>`
          select count(*)::int as n from pg_locks
          where locktype = 'advisory' and objid = 7304211 and not granted
            and database = (select oid from pg_database where datname = current_database())`.execute(db);
        return waiting.rows[0]!.n;
      }, waitOpts)
      .toBe(1);
    expect(isSecondDone).toBe(false);
    release();
    expect(await firstRound).toBe(2);
    // Then it reads under the lock and publishes the rest itself, without waiting for a poll.
    expect(await secondRound).toBe(4);
    await bus.close();
    expect(seen).toEqual(events.map((_, i) => i));
    expect(await outboxStats(db)).toEqual({ unpublished: 0, oldestUnpublishedAgeS: null });
  });

  it('keeps an event unpublished while the bus refuses it, and sends it once the bus is back', async () => {
    const { db } = database();
    await db.deleteFrom('outbox').execute();
    const inner = createMemoryBus();
    let isDown = true;
    const flaky: Bus = {
      ...inner,
      publish: (e) => (isDown ? Promise.reject(new Error('broker unreachable')) : inner.publish(e)),
    };
    const received: string[] = [];
    await inner.subscribe({ consumer: 'c', subjects: ['platform.probe'] }, async (e) => {
      received.push(e.id);
    });
    const event = newEvent('platform.probe', { seq: 7, note: '' }, clock);
    await enqueue(db, event);
    const relay = createRelay({ db, bus: flaky, log: quiet, pollMs: 1000 });
    expect(await relay.flush()).toBe(0);
    const row = await db
      .selectFrom('outbox')
      .selectAll()
      .where('event_id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(row.published_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('broker unreachable');
    expect((await outboxStats(db)).unpublished).toBe(1);
    isDown = false;
    expect(await relay.flush()).toBe(1);
    await inner.close();
    expect(received).toEqual([event.id]);
  });

  it('applies a redelivered event once per consumer (processOnce)', async () => {
    const { db } = database();
    await sql`create table if not exists effect_probe (event_id uuid not null, consumer text not null)`.execute(
      db,
    );
    const event = newEvent('platform.probe', { seq: 1, note: '' }, clock);
    const apply = (consumer: string) =>
      processOnce(db, consumer, event, async (trx) => {
        await sql`insert into effect_probe values (${event.id}, ${consumer})`.execute(trx);
      });
    expect(await apply('a')).toBe(true);
    expect(await apply('a')).toBe(false);
    expect(await apply('b')).toBe(true);
    const rows = await sql<{ consumer: string }>`select consumer from effect_probe order by consumer`.execute(
      db,
    );
    expect(rows.rows.map((r) => r.consumer)).toEqual(['a', 'b']);
  });

  it('rolls back the marker when the effect fails, so the retry applies it', async () => {
    const { db } = database();
    const event = newEvent('platform.probe', { seq: 2, note: '' }, clock);
    await expect(
      processOnce(db, 'fails-once', event, () => Promise.reject(new Error('effect failed'))),
    ).rejects.toThrow('effect failed');
    expect(await processOnce(db, 'fails-once', event, () => Promise.resolve())).toBe(true);
  });

  it('refuses a malformed subject at the database', async () => {
    const { db } = database();
    const bad = { ...newEvent('platform.probe', { seq: 0, note: '' }, clock), subject: 'Not A Subject' };
    await expect(enqueue(db, bad as unknown as EventEnvelope)).rejects.toThrow();
  });
});

describe('relay loop', () => {
  it('wakes on demand instead of waiting for the poll', async () => {
    const { freshDatabase } = await import('../../../testing/test-databases');
    const database = await freshDatabase('pglite');
    const bus = createMemoryBus();
    const got: string[] = [];
    await bus.subscribe({ consumer: 'w', subjects: ['platform.probe'] }, async (e) => {
      got.push(e.id);
    });
    const relay = createRelay({ db: database.db, bus, log: quiet, pollMs: 60_000 });
    relay.start();
    await new Promise((r) => setTimeout(r, 50));
    const event = newEvent('platform.probe', { seq: 1, note: '' }, clock);
    await enqueue(database.db, event);
    relay.wake();
    await expect.poll(() => got, { timeout: 5000, interval: 10 }).toEqual([event.id]);
    await relay.stop();
    await bus.close();
    await database.close();
  });
});

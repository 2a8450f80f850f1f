import type { EventEnvelope } from '@fanzha/domain';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { whenAdvisoryXactLockTaken } from '../../db/advisory-lock';
import type { Bus } from '../bus/bus';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { openEnvelopes } from './outbox';

export interface RelayOptions {
  /** The handle carrying the field keys (`withFieldKeys`): the relay opens sealed envelopes before publishing. */
  db: Kysely<DB>;
  bus: Bus;
  log: Logger;
  pollMs: number;
  batchSize?: number;
  /** Where the relay counts what it published (`fanzha_outbox_published_events_total`); none if absent. */
  metrics?: Metrics;
  /** Test seam: runs after the broker acknowledged a batch and before it is marked published. */
  afterPublish?: (events: EventEnvelope[]) => Promise<void> | void;
}

export interface Relay {
  /** Publishes what is pending now; returns how many events were published. */
  flush(): Promise<number>;
  /** Asks the loop to run soon (after a commit that enqueued events), instead of waiting for the poll. */
  wake(): void;
  start(): void;
  stop(): Promise<void>;
}

/** The signal group of the deployment's relays (`Bus.onSignal`): a commit's signal wakes one of them. */
export const RELAY_SIGNAL_GROUP = 'outbox-relays';

/** The advisory lock a relay holds for one round's transaction (any constant no other module uses). */
const RELAY_LOCK = 7_304_211;

/**
 * Moves committed outbox rows to the bus in id order. One relay of the deployment looks at a time: a
 * round's first statement takes an advisory lock before it reads, waiting for a relay of another process
 * that holds it to commit its round, and then reads what is still unpublished — so a relay woken by a commit
 * publishes that commit's events even when another relay was in the middle of a round that began before it
 * (that is why one woken relay per commit is enough: a process wakes its own relay, an `api` process one of
 * the workers'). Rows are also locked while they are published (`for update skip locked`); a crash before the
 * mark means the batch is published again, which the broker's message-id window and `processOnce` absorb.
 */
export function createRelay(opts: RelayOptions): Relay {
  const batchSize = opts.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let isStopped = true;
  let isWoken = false;
  const publishedCount = opts.metrics?.counter({
    name: 'fanzha_outbox_published_events_total',
    help: 'Events the relay published to the bus (acknowledged by the broker), by subject',
    labelNames: ['subject'],
  });
  const failedCount = opts.metrics?.counter({
    name: 'fanzha_outbox_publish_failures_total',
    help: 'Publishes the broker refused or did not acknowledge; the events stay in the outbox and go again',
  });

  /** One locked batch; `isDone` is false when the batch was full and all of it went out. */
  async function publishBatch(): Promise<{ count: number; isDone: boolean }> {
    const batch = await opts.db.transaction().execute(async (trx) => {
      // The lock and the batch in one statement: the read starts once another relay's round has ended, and
      // `for update` skips what that round published (a row's latest version is read again when locked).
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'event_id', 'envelope'])
        .where('published_at', 'is', null)
        .where(whenAdvisoryXactLockTaken(RELAY_LOCK))
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return { subjects: [], isDone: true };
      const events = await openEnvelopes(trx, rows);
      // Publish the whole batch at once and await every acknowledgement: one round trip per batch, not
      // per event. The broker keeps the order of one connection's publishes.
      const results = await Promise.allSettled(events.map((e) => opts.bus.publish(e)));
      const published = rows.filter((_, i) => results[i]!.status === 'fulfilled').map((r) => r.id);
      const failures = results.flatMap((r, i) =>
        r.status === 'rejected' ? [{ id: rows[i]!.id, err: r.reason as unknown }] : [],
      );
      if (failures.length > 0) {
        failedCount?.inc(failures.length);
        opts.log.warn(
          { err: failures[0]!.err, failed: failures.length },
          'outbox publish failed; will retry',
        );
        await trx
          .updateTable('outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: String(failures[0]!.err).slice(0, 500),
          }))
          .where(
            'id',
            'in',
            failures.map((f) => f.id),
          )
          .execute();
      }
      await opts.afterPublish?.(events.filter((_, i) => results[i]!.status === 'fulfilled'));
      if (published.length > 0)
        await trx
          .updateTable('outbox')
          .set({ published_at: new Date() })
          // Over an array: one statement text whatever the batch's size.
          .where('id', '=', sql<number>`any(${published}::bigint[])`)
          .execute();
      return {
        subjects: events.filter((_, i) => results[i]!.status === 'fulfilled').map((e) => e.subject),
        isDone: failures.length > 0 || rows.length < batchSize,
      };
    });
    // Counted once the mark is committed: a batch whose mark fails goes out again and is counted then.
    for (const subject of batch.subjects) publishedCount?.inc({ subject });
    return { count: batch.subjects.length, isDone: batch.isDone };
  }

  async function flush(): Promise<number> {
    let total = 0;
    for (;;) {
      // After a failure the round stops; the next poll retries from the same row, keeping order.
      const { count, isDone } = await publishBatch();
      total += count;
      if (isDone) return total;
    }
  }

  function schedule(ms: number): void {
    if (isStopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      isWoken = false;
      running = flush()
        .catch((err: unknown) => opts.log.error({ err }, 'outbox relay round failed'))
        .finally(() => {
          running = undefined;
          schedule(isWoken ? 0 : opts.pollMs);
        });
    }, ms);
  }

  return {
    flush,
    wake() {
      if (running) isWoken = true;
      else schedule(0);
    },
    start() {
      isStopped = false;
      schedule(0);
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

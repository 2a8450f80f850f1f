import type { EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus } from '../bus/bus';
import type { Logger } from '../logger';

export interface RelayOptions {
  db: Kysely<DB>;
  bus: Bus;
  log: Logger;
  pollMs: number;
  batchSize?: number;
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

/**
 * Moves committed outbox rows to the bus in id order. Rows are locked while they are published
 * (`for update skip locked`), so several relays share the work on PostgreSQL; a crash before the mark
 * means the batch is published again, which the broker's message-id window and `processOnce` absorb.
 */
export function createRelay(opts: RelayOptions): Relay {
  const batchSize = opts.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let isStopped = true;
  let isWoken = false;

  /** One locked batch; `isDone` is false when the batch was full or a publish failed part-way. */
  async function publishBatch(): Promise<{ count: number; isDone: boolean }> {
    return opts.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'envelope'])
        .where('published_at', 'is', null)
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return { count: 0, isDone: true };
      const events = rows.map((r) => r.envelope as EventEnvelope);
      const published: number[] = [];
      try {
        for (const [i, event] of events.entries()) {
          await opts.bus.publish(event);
          published.push(rows[i]!.id);
        }
      } catch (err) {
        const failed = rows[published.length]!.id;
        opts.log.warn({ err, outboxId: failed }, 'outbox publish failed; will retry');
        await trx
          .updateTable('outbox')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: String(err).slice(0, 500) }))
          .where('id', '=', failed)
          .execute();
      }
      await opts.afterPublish?.(events.slice(0, published.length));
      if (published.length > 0)
        await trx
          .updateTable('outbox')
          .set({ published_at: new Date() })
          .where('id', 'in', published)
          .execute();
      const isFailed = published.length < rows.length;
      return { count: published.length, isDone: isFailed || rows.length < batchSize };
    });
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

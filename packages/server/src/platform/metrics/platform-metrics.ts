import type { Kysely } from 'kysely';
import type { Gauge } from 'prom-client';
import type { DB } from '../../db/schema';
import type { Bus } from '../bus/bus';
import type { Logger } from '../logger';
import { outboxStats } from '../outbox/outbox';
import { sharedRead, type Metrics } from './metrics';

/**
 * The outbox's backlog, read from the database at each scrape. The outbox is the deployment's, so every
 * process reports the same figures. When the database does not answer the series are left out (health
 * says degraded), rather than showing a stale value.
 */
export function registerOutboxMetrics(metrics: Metrics, deps: { db: Kysely<DB>; log: Logger }): void {
  const read = sharedRead(() => outboxStats(deps.db));
  metrics.gauge({
    name: 'fanzha_outbox_unpublished',
    help: 'Events committed to the outbox and not yet published to the bus',
    async collect() {
      this.reset();
      const stats = await read().catch((err: unknown) => deps.log.warn({ err }, 'metrics: outbox not read'));
      if (stats) this.set(stats.unpublished);
    },
  });
  metrics.gauge({
    name: 'fanzha_outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox event (0 when none is waiting)',
    async collect() {
      this.reset();
      const stats = await read().catch(() => undefined);
      if (stats) this.set(stats.oldestUnpublishedAgeS ?? 0);
    },
  });
}

/**
 * Each consumer group's lag as this process's bus tells it (`Bus.consumerLag`): on NATS the durable
 * consumer's counts from the server, in-process the queues. A process that runs no consumer (role `api`)
 * reports none.
 */
export function registerConsumerMetrics(metrics: Metrics, deps: { bus: Bus; log: Logger }): void {
  const read = sharedRead(() => deps.bus.consumerLag());
  const fill = (pick: 'pending' | 'inFlight') =>
    async function collect(this: Gauge<'consumer'>) {
      this.reset();
      const lags = await read().catch((err: unknown) => {
        if (pick === 'pending') deps.log.warn({ err }, 'metrics: consumer lag not read');
        return [];
      });
      for (const lag of lags) this.set({ consumer: lag.consumer }, lag[pick]);
    };
  metrics.gauge({
    name: 'fanzha_consumer_pending',
    help: 'Events waiting for a consumer group that no member has been handed yet',
    labelNames: ['consumer'],
    collect: fill('pending'),
  });
  metrics.gauge({
    name: 'fanzha_consumer_in_flight',
    help: 'Events handed to a member of a consumer group and not acknowledged yet',
    labelNames: ['consumer'],
    collect: fill('inFlight'),
  });
}

import type { Clock, EventEnvelope } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Bus, Subscription } from '../../platform/bus/bus';
import type { Logger } from '../../platform/logger';
import { startSignalConsumer, type SignalConsumer, type SignalStreamLimits } from './screening.nats';
import { pruneDeadLetters } from './screening.repository';
import type { ScreeningService } from './screening.service';

/** Dead letters are kept this long. */
export const DEAD_LETTER_DAYS = 30;

export interface RunningScreening {
  stop(): Promise<void>;
}

/**
 * Screening in a `worker` (or `all`) process: builds the matcher from every indicator, keeps it current by
 * `indicator.changed` and an import's `indicator.imported` (the indicators it names read from the registry)
 * heard live (a change is matched as soon as it is heard; after a lost connection the
 * matcher is built again), and with NATS takes its share of the signals stream. Without NATS (the
 * embedded default) the HTTP endpoints and an in-process feed call `screen` directly.
 */
export async function startScreening(deps: {
  screening: ScreeningService;
  db: Kysely<DB>;
  bus: Bus;
  clock: Clock;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  nats?: {
    url: string;
    namespace: string;
    limits?: SignalStreamLimits;
    ackWaitMs?: number;
    concurrency?: number;
  };
  /** How often old dead letters are pruned. Default hourly. */
  pruneEveryMs?: number;
}): Promise<RunningScreening> {
  const { screening, log } = deps;
  let reloading: Promise<void> | undefined;
  const reload = () => {
    reloading ??= screening
      .loadMatcher()
      .then(() => log.info({ indicators: screening.matcher.size }, 'screening: matcher rebuilt after a gap'))
      .catch((err: unknown) => log.error({ err }, 'screening: matcher rebuild failed'))
      .finally(() => (reloading = undefined));
  };
  // Events are applied in the order heard: an import's chunk is read from the registry before any later
  // change is applied on top of it. A failed read may have lost indicators: the matcher is built again.
  let applying: Promise<void> = Promise.resolve();
  const hear = (event: EventEnvelope) => {
    applying = applying
      .then(() =>
        event.subject === 'indicator.imported'
          ? screening.matcher.applyIds(
              (event as EventEnvelope<'indicator.imported'>).data.created,
              screening.indicators,
            )
          : screening.matcher.apply((event as EventEnvelope<'indicator.changed'>).data),
      )
      .catch((err: unknown) => {
        log.error({ err }, 'screening: applying an indicator change failed');
        reload();
      });
  };
  // Listen first, then load: a change heard during the load is re-read and applied on top of it.
  const listening: Subscription = await deps.bus.listen(
    ['indicator.changed', 'indicator.imported'],
    hear,
    reload,
  );
  const started = Date.now();
  await screening.loadMatcher();
  log.info(
    { indicators: screening.matcher.size, bytes: screening.matcher.byteLength, ms: Date.now() - started },
    'screening: matcher built',
  );
  const consumer: SignalConsumer | undefined = deps.nats
    ? await startSignalConsumer({ ...deps.nats, screening, log })
    : undefined;
  const prune = setInterval(() => {
    const before = new Date(deps.clock.now().getTime() - DEAD_LETTER_DAYS * 86_400_000);
    pruneDeadLetters(deps.db, before).catch((err: unknown) => log.error({ err }, 'screening: prune failed'));
  }, deps.pruneEveryMs ?? 3_600_000);
  prune.unref();
  return {
    async stop() {
      clearInterval(prune);
      await consumer?.stop();
      await listening.stop();
      await applying;
      await reloading;
    },
  };
}

import { signalKinds, signalSubjectsIn, type SignalKind } from '@fanzha/contracts';
import { connect } from '@nats-io/transport-node';
import { makeSignalBatch, signalMix, type SignalFeedOptions } from './operators';
import type { SimStats } from './stats';
import type { Timers } from './timers';

/** Signals per broker message: big enough that millions a minute are a few hundred messages a second. */
const BATCH_SIZE = 1_000;
const TICK_MS = 250;

/**
 * Publishes the operators' feeds on NATS at `perMinute` signals in all (split by `signalMix`). Each tick
 * publishes what is due since the start, so a slow tick is caught up rather than lost.
 */
export async function startSignalFeed(deps: {
  natsUrl: string;
  /** The deployment's NATS namespace; none: the shared subjects. */
  natsNamespace: string | undefined;
  perMinute: number;
  feed: SignalFeedOptions;
  stats: SimStats;
  timers: Timers;
}): Promise<{ stop(): Promise<void> }> {
  const nc = await connect({ servers: deps.natsUrl, name: 'fanzha-simulator' });
  const encoder = new TextEncoder();
  const subjects = signalSubjectsIn(deps.natsNamespace);
  const startedAt = Date.now();
  const sent: Record<SignalKind, number> = { call: 0, sms: 0, url: 0, app: 0 };
  const batches: Record<SignalKind, number> = { call: 0, sms: 0, url: 0, app: 0 };

  const tick = () => {
    const now = Date.now();
    for (const kind of signalKinds) {
      const due = Math.floor(((now - startedAt) / 60_000) * deps.perMinute * signalMix[kind]);
      while (sent[kind] < due) {
        const size = Math.min(BATCH_SIZE, due - sent[kind]);
        const batch = makeSignalBatch(deps.feed, kind, batches[kind]++, size, new Date(now));
        nc.publish(subjects[kind], encoder.encode(JSON.stringify(batch)));
        sent[kind] += size;
        deps.stats.signalsPublished += size;
      }
    }
    deps.timers.at(now + TICK_MS, tick);
  };
  tick();
  return {
    stop: async () => {
      await nc.drain();
    },
  };
}

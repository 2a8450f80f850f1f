import { createHash } from 'node:crypto';
import { signalSubjectsIn, type SignalBatchKind } from '@fanzha/contracts';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connectNats } from '../../platform/bus/nats-setup';
import type { Logger } from '../../platform/logger';
import type { SignalPublisher } from './screening.deps';
import type { ScreeningService } from './screening.service';

/**
 * The signals stream's limits. Signals are worth most in their first seconds: when workers fall this far
 * behind, the oldest unscreened batches are dropped (never the newest), and the disk holds at most
 * `maxBytes` of them (FANZHA_SIGNALS_MAX_BYTES; 128 MiB is about 400,000 unscreened signals). A batch is
 * removed once acknowledged (work-queue retention). JetStream reserves `maxBytes` of its storage when the
 * stream is made, so a cap larger than the server's disk allows is refused at start, not when it fills.
 */
export interface SignalStreamLimits {
  maxBytes: number;
  maxAgeMs: number;
  /** The largest batch accepted: 5,000 signals of about 300 bytes. */
  maxMessageBytes: number;
}

export const defaultSignalStreamLimits: SignalStreamLimits = {
  maxBytes: 128 * 1024 ** 2,
  maxAgeMs: 60 * 60_000,
  maxMessageBytes: 4 * 1024 ** 2,
};

/** Deliveries of a batch whose screening keeps failing before it is dead-lettered whole. */
export const SIGNAL_MAX_DELIVER = 20;
const DUPLICATE_WINDOW_MS = 2 * 60_000;

export interface SignalStreamNames {
  stream: string;
  durable: string;
  subjects: Record<SignalBatchKind, string>;
}

/** A deployment's signals stream, apart from its events stream (whose seven days must not fill with a firehose). */
export function signalStreamNames(namespace: string): SignalStreamNames {
  return {
    stream: `FANZHA_${namespace}_SIGNALS`,
    durable: `${namespace}_screening`.replace(/[^A-Za-z0-9_-]/g, '_'),
    subjects: signalSubjectsIn(namespace),
  };
}

/** JetStream's answer when a stream's `max_bytes` is more than its storage has left to reserve. */
const INSUFFICIENT_STORAGE = 10047;

export async function ensureSignalStream(
  jsm: JetStreamManager,
  names: SignalStreamNames,
  limits: SignalStreamLimits,
  ackWaitMs: number,
): Promise<void> {
  const config = {
    subjects: Object.values(names.subjects),
    max_bytes: limits.maxBytes,
    max_age: nanos(limits.maxAgeMs),
    max_msg_size: limits.maxMessageBytes,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    discard: DiscardPolicy.Old,
  };
  try {
    await makeOrUpdateStream(jsm, names.stream, config);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === INSUFFICIENT_STORAGE)) throw err;
    throw new Error(
      `the NATS server cannot reserve ${limits.maxBytes} bytes for the signals stream ${names.stream} ` +
        '(JetStream: insufficient storage resources): set FANZHA_SIGNALS_MAX_BYTES lower, or give ' +
        "JetStream more storage (the server's max_file_store, or free disk)",
      { cause: err },
    );
  }
  try {
    await jsm.consumers.info(names.stream, names.durable);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
    await jsm.consumers.add(names.stream, {
      durable_name: names.durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ackWaitMs),
      max_deliver: SIGNAL_MAX_DELIVER,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 10_000,
    });
  }
}

async function makeOrUpdateStream(
  jsm: JetStreamManager,
  stream: string,
  config: Omit<Parameters<JetStreamManager['streams']['add']>[0], 'name'>,
): Promise<void> {
  try {
    await jsm.streams.info(stream);
    await jsm.streams.update(stream, config);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
    try {
      await jsm.streams.add({
        name: stream,
        ...config,
        storage: StorageType.File,
        retention: RetentionPolicy.Workqueue,
        num_replicas: 1,
      });
    } catch (addErr) {
      // Another worker created it between our info and add.
      if (!(addErr instanceof JetStreamApiError && addErr.code === 10058)) throw addErr;
    }
  }
}

const retryDelayMs = (attempt: number) => Math.min(200 * 2 ** (attempt - 1), 10_000);

export interface SignalConsumer {
  /** Finishes the batches in hand (acknowledged), hands back the ones pulled ahead, and disconnects. */
  stop(): Promise<void>;
  /** Drops the connection at once, acknowledging nothing more: what a crash does (tests). */
  abandon(): Promise<void>;
}

/**
 * A worker's share of the signals: one durable consumer that every worker pulls from (a queue group: each
 * batch goes to one of them). A batch is acknowledged only after its hits and dead letters are committed;
 * a worker that dies first leaves it unacknowledged, and after `ackWaitMs` another gets it. A batch whose
 * screening throws (the database is away) is retried with back-off; one that still fails at its last
 * delivery is kept whole as a dead letter so it does not vanish unseen.
 */
export async function startSignalConsumer(deps: {
  url: string;
  namespace: string;
  screening: Pick<ScreeningService, 'screen' | 'deadLetterBatch'>;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  limits?: SignalStreamLimits;
  /** How long a batch handed to a worker may stay unacknowledged before another gets it. Default 30 s. */
  ackWaitMs?: number;
  /** Batches screened at once by this worker (each its own transaction). Default 4. */
  concurrency?: number;
}): Promise<SignalConsumer> {
  const names = signalStreamNames(deps.namespace);
  const nc = await connectNats(deps.url, `fanzha screening ${deps.namespace}`);
  const jsm = await jetstreamManager(nc);
  await ensureSignalStream(jsm, names, deps.limits ?? defaultSignalStreamLimits, deps.ackWaitMs ?? 30_000);
  const js = jetstream(nc);
  const consumer = await js.consumers.get(names.stream, names.durable);
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const messages = await consumer.consume({ max_messages: concurrency * 2 });
  const decoder = new TextDecoder();
  const inFlight = new Set<Promise<void>>();
  let isStopping = false;

  let isAbandoned = false;
  const handle = async (m: JsMsg): Promise<void> => {
    if (isStopping) return m.nak();
    const text = decoder.decode(m.data);
    try {
      await deps.screening.screen(text, 'nats');
      if (!isAbandoned) m.ack();
    } catch (err) {
      const attempt = m.info.deliveryCount;
      const ctx = { err, subject: m.subject, seq: m.seq, attempt };
      if (attempt < SIGNAL_MAX_DELIVER) {
        deps.log.warn(ctx, 'signal batch not screened: will retry');
        return m.nak(retryDelayMs(attempt));
      }
      deps.log.error(ctx, 'signal batch failed at its last delivery: kept whole as a dead letter');
      try {
        await deps.screening.deadLetterBatch(text, 'nats', err);
        m.term();
      } catch (deadErr) {
        deps.log.error(
          { err: deadErr, seq: m.seq },
          'signal batch could not be dead-lettered: left to expire',
        );
      }
    }
  };

  const loop = (async () => {
    for await (const m of messages) {
      const p = handle(m).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  })().catch((err: unknown) => deps.log.error({ err }, 'signal consume loop failed'));

  return {
    async abandon() {
      isAbandoned = true;
      isStopping = true;
      await nc.close();
    },
    async stop() {
      isStopping = true;
      await messages.close();
      await loop;
      await Promise.all(inFlight);
      if (!nc.isClosed()) {
        await nc.flush();
        await nc.close();
      }
    },
  };
}

/** For the HTTP endpoints of an API process: a batch accepted is a batch in the signals stream. */
export async function createSignalPublisher(deps: {
  url: string;
  namespace: string;
  limits?: SignalStreamLimits;
  ackWaitMs?: number;
}): Promise<SignalPublisher> {
  const names = signalStreamNames(deps.namespace);
  const nc: NatsConnection = await connectNats(deps.url, `fanzha signals ${deps.namespace}`);
  await ensureSignalStream(
    await jetstreamManager(nc),
    names,
    deps.limits ?? defaultSignalStreamLimits,
    deps.ackWaitMs ?? 30_000,
  );
  const js = jetstream(nc);
  return {
    async publish(kind, batch) {
      const text = JSON.stringify(batch);
      // The same batch sent twice within the duplicate window is stored once.
      const msgID = createHash('sha256').update(text).digest('hex');
      await js.publish(names.subjects[kind], text, { msgID });
    },
    async close() {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

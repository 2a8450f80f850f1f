import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@fanzha/domain';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
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
  type ConsumerConfig,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { subjectMatches, type Bus, type Handler, type SubscribeOptions, type Subscription } from './bus';

export interface NatsBusLog {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface NatsBusOptions {
  url: string;
  /** JetStream stream holding every event; default `FANZHA`. */
  stream?: string;
  /** Prefix of every NATS subject, so the bus can share a server with other users; default `fanzha`. */
  subjectPrefix?: string;
  log?: NatsBusLog;
}

/** Redeliveries before the server gives up on an event (the handler is logged as failing for good). */
export const MAX_DELIVER = 10;
const ACK_WAIT_MS = 30_000;
const FAN_OUT_INACTIVE_MS = 5 * 60_000;
/** The outbox republishes after a crash; the server drops a repeated id seen within this window. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;
const MAX_AGE_MS = 7 * 24 * 60 * 60_000;
/**
 * Messages pulled ahead per subscriber. Small, so that members of one consumer group share the work
 * instead of one member buffering everything while the others idle.
 */
const PULL_BATCH = 8;

/** JetStream API error code, not among the client's named codes. */
const STREAM_NAME_IN_USE = 10058;

const silentLog: NatsBusLog = { warn() {}, error() {} };

/**
 * The JetStream bus for scale-out: one stream holds every event; each consumer name is a durable pull
 * consumer, so processes using the same name share its work and an event published while nobody listens
 * waits in the stream.
 */
export async function createNatsBus(opts: NatsBusOptions): Promise<Bus> {
  const streamName = opts.stream ?? 'FANZHA';
  const prefix = opts.subjectPrefix ?? 'fanzha';
  const log = opts.log ?? silentLog;

  // Reconnect forever: a NATS restart must not take the process down; publishes fail meanwhile and the
  // outbox retries them.
  const nc = await connect({ servers: opts.url, name: 'fanzha', maxReconnectAttempts: -1 });
  void watchConnection(nc, log);
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureStream(jsm, streamName, prefix);
  // NATS 2.10 brought several filter subjects per consumer and reliable filter updates; older servers get
  // a client-side filter and a recreated consumer instead.
  const isNats210 = serverAtLeast(nc, 2, 10);

  const subscriptions = new Set<Subscription>();
  let isClosed = false;

  return {
    kind: 'nats',

    async publish(event) {
      // Awaiting the PubAck is the point: the outbox marks an event published only once the stream has it.
      await js.publish(`${prefix}.${event.subject}`, JSON.stringify(event), { msgID: event.id });
    },

    async subscribe(options: SubscribeOptions, handler: Handler): Promise<Subscription> {
      if (isClosed) throw new Error('bus is closed');
      if (options.subjects.length === 0) throw new Error(`consumer ${options.consumer}: no subjects`);
      const durable = durableName(
        options.isFanOut ? `${options.consumer}-${randomUUID().slice(0, 8)}` : options.consumer,
      );
      const filters = options.subjects.map((s) => `${prefix}.${s}`);
      const useClientFilter = filters.length > 1 && !isNats210;
      const serverFilters = useClientFilter ? [`${prefix}.>`] : filters;
      await ensureConsumer(jsm, streamName, durable, serverFilters, isNats210, options.isFanOut ?? false);

      const consumer = await js.consumers.get(streamName, durable);
      const messages = await consumer.consume({ max_messages: PULL_BATCH });
      void watchConsumer(messages, durable, log);
      let isStopping = false;

      const handle = async (m: JsMsg): Promise<void> => {
        const event = parseEnvelope(m, prefix);
        if (!event) {
          log.error({ consumer: durable, subject: m.subject, seq: m.seq }, 'malformed event: dropped');
          m.term();
          return;
        }
        if (useClientFilter && !options.subjects.some((p) => subjectMatches(p, event.subject))) {
          m.ack();
          return;
        }
        try {
          await handler(event);
        } catch (err) {
          const attempt = m.info.deliveryCount;
          const ctx = { err, consumer: durable, eventId: event.id, subject: event.subject, attempt };
          if (attempt >= MAX_DELIVER) {
            log.error(ctx, 'event handler failed for the last time: event dropped for this consumer');
            m.term();
          } else {
            log.warn(ctx, 'event handler failed: will retry');
            m.nak(retryDelayMs(attempt));
          }
          return;
        }
        // A confirmed ack: once stop() or close() returns, the server has moved past every handled event,
        // so a restarted or re-filtered consumer does not replay it.
        try {
          await m.ackAck();
        } catch (err) {
          log.warn(
            { err, consumer: durable, eventId: event.id },
            'ack not confirmed: event may be redelivered',
          );
        }
      };

      const loop = (async () => {
        for await (const m of messages) {
          // Messages pulled ahead before stop() go straight back, so another member takes them now rather
          // than after the ack wait.
          if (isStopping) m.nak();
          else await handle(m);
        }
      })().catch((err: unknown) => log.error({ err, consumer: durable }, 'consume loop failed'));

      const subscription: Subscription = {
        async stop() {
          if (isStopping) return;
          isStopping = true;
          subscriptions.delete(subscription);
          // Ends the iterator after the buffered messages; the event in hand finishes and is acked first.
          await messages.close();
          await loop;
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      if (isClosed) return;
      isClosed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      // Drain flushes outstanding acks before the connection goes.
      await nc.drain();
    },
  };
}

async function ensureStream(jsm: JetStreamManager, name: string, prefix: string): Promise<void> {
  const config = {
    subjects: [`${prefix}.>`],
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(MAX_AGE_MS),
  };
  try {
    await jsm.streams.info(name);
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.StreamNotFound)) throw err;
    try {
      await jsm.streams.add({
        name,
        ...config,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        num_replicas: 1,
      });
      return;
    } catch (addErr) {
      // Another process created it between our info and add: fall through to update it.
      if (!isApiError(addErr, STREAM_NAME_IN_USE)) throw addErr;
    }
  }
  await jsm.streams.update(name, config);
}

async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  filters: string[],
  canUpdateFilters: boolean,
  isFanOut: boolean,
): Promise<void> {
  const filter: Partial<ConsumerConfig> =
    filters.length === 1 ? { filter_subject: filters[0] } : { filter_subjects: filters };
  const create = (start: Partial<ConsumerConfig>) =>
    jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: MAX_DELIVER,
      ...start,
      ...filter,
      // A fan-out consumer belongs to one process: the server removes it soon after that process is gone.
      ...(isFanOut ? { inactive_threshold: nanos(FAN_OUT_INACTIVE_MS) } : {}),
    });

  let info: ConsumerInfo | undefined;
  try {
    info = await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
  }
  if (!info && isFanOut) {
    await create({ deliver_policy: DeliverPolicy.New });
    return;
  }
  if (!info) {
    // DeliverPolicy.All: events published after the stream existed but before the first subscriber are
    // still delivered. Two processes creating the same durable at once send the same config, which the
    // server accepts as idempotent.
    await create({ deliver_policy: DeliverPolicy.All });
    return;
  }
  const current =
    info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []);
  if (sameSet(current, filters)) return;
  if (canUpdateFilters) {
    await jsm.consumers.update(stream, durable, {
      ...(filters.length === 1
        ? { filter_subject: filters[0], filter_subjects: undefined }
        : { filter_subjects: filters, filter_subject: undefined }),
    });
    return;
  }
  // NATS before 2.10 accepts a new filter_subject on update but keeps waking the consumer for the old
  // subjects, so new events sit undelivered. Recreate it instead, resuming after the last acked event.
  await jsm.consumers.delete(stream, durable);
  const floor = info.ack_floor.stream_seq;
  await create(
    floor > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: floor + 1 }
      : { deliver_policy: DeliverPolicy.All },
  );
}

function parseEnvelope(m: JsMsg, prefix: string): EventEnvelope | undefined {
  let value: unknown;
  try {
    value = m.json();
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Partial<Record<keyof EventEnvelope, unknown>>;
  const isValid =
    typeof e.id === 'string' &&
    typeof e.subject === 'string' &&
    m.subject === `${prefix}.${e.subject}` &&
    e.version === 1 &&
    typeof e.occurredAt === 'string' &&
    'data' in e;
  return isValid ? (value as EventEnvelope) : undefined;
}

/** NATS names allow neither `.`, `*`, `>` nor whitespace or slashes. */
export function durableName(consumer: string): string {
  const name = consumer.replace(/[^A-Za-z0-9_-]/g, '_');
  if (name.length === 0) throw new Error('consumer name is empty');
  return name;
}

function retryDelayMs(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 10_000);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

function serverAtLeast(nc: NatsConnection, major: number, minor: number): boolean {
  const [ma = 0, mi = 0] = (nc.info?.version ?? '0.0').split('.').map(Number);
  return ma > major || (ma === major && mi >= minor);
}

async function watchConnection(nc: NatsConnection, log: NatsBusLog): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect' || s.type === 'reconnect') {
      log.warn({ nats: s.type, server: s.server }, 'nats connection');
    } else if (s.type === 'error') {
      log.error({ err: s.error }, 'nats connection error');
    }
  }
}

async function watchConsumer(messages: ConsumerMessages, consumer: string, log: NatsBusLog): Promise<void> {
  for await (const s of messages.status()) {
    if (s.type === 'consumer_not_found' || s.type === 'stream_not_found' || s.type === 'consumer_deleted') {
      log.warn({ consumer, status: s.type }, 'nats consumer status');
    }
  }
}

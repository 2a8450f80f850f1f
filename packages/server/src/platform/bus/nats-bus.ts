import type { EventEnvelope } from '@fanzha/domain';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import {
  type BatchHandler,
  type BatchOptions,
  type Bus,
  type BusSignal,
  type ConsumerLag,
  type Subscription,
} from './bus';
import {
  ACK_WAIT_MS,
  MAX_DELIVER,
  connectNats,
  durableParts,
  ensureGroup,
  type DurablePart,
  ensureStream,
  natsNames,
  retryDelayMs,
  serverAtLeast,
} from './nats-setup';
import { openLeases, type Leases } from './nats-lease';

export { MAX_DELIVER, natsNames } from './nats-setup';

export interface NatsBusLog {
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface NatsBusOptions {
  url: string;
  /** The deployment's namespace (`FANZHA_NATS_NAMESPACE`): every stream, subject and durable name carries it. */
  namespace: string;
  log?: NatsBusLog;
  /**
   * How long an event handed to a process may stay unacknowledged before another gets it (a crashed
   * process's batch); set when a durable consumer is created. Default 30 s; tests shorten it.
   */
  ackWaitMs?: number;
  /**
   * How long a consumer group's lease outlives its holder's last renewal (groups with `members: 'one'`): a
   * crashed holder's group waits at most this long for a standby. Default 10 s; tests shorten it.
   */
  leaseTtlMs?: number;
}

/**
 * Messages pulled ahead by a subscriber taking one event at a time. Small, so that members of one consumer
 * group share the work instead of one member buffering everything while the others idle.
 */
const PULL_AHEAD = 8;
const LEASE_TTL_MS = 10_000;
/** Event ids a live listener remembers, to pass on a republished event once. */
const LISTEN_MEMORY = 4096;

const silentLog: NatsBusLog = { warn() {}, error() {} };

/**
 * The JetStream bus for scale-out: one stream per deployment holds every event; each consumer name is a
 * durable pull consumer, so processes using the same name share its work and an event published while
 * nobody listens waits in the stream. Live listeners and signals are plain NATS subscriptions: nothing
 * durable per process.
 */
export async function createNatsBus(opts: NatsBusOptions): Promise<Bus> {
  const names = natsNames(opts.namespace);
  const prefix = names.eventPrefix;
  const log = opts.log ?? silentLog;
  const ackWait = opts.ackWaitMs ?? ACK_WAIT_MS;
  const leaseTtl = opts.leaseTtlMs ?? LEASE_TTL_MS;

  const nc = await connectNats(opts.url, `fanzha ${opts.namespace}`);
  /** Live listeners to tell when the connection comes back: what was published meanwhile did not reach them. */
  const gapListeners = new Set<() => void>();
  void watchConnection(nc, log, () => {
    for (const onGap of gapListeners) onGap();
  });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureStream(jsm, names.stream, prefix);
  // NATS 2.10 brought several filter subjects per consumer and reliable filter updates; older servers get a
  // durable per subject and a recreated consumer instead.
  const isNats210 = serverAtLeast(nc, 2, 10);

  const subscriptions = new Set<Subscription>();
  const signalsDue = new Set<BusSignal>();
  /** The consumer groups this process subscribes to: how many of its subscriptions use each, and its durables. */
  const consumerGroups = new Map<string, { uses: number; durables: string[] }>();
  let isClosed = false;
  /** Opened by the first group wanting one member at a time. */
  let leasesOpened: Promise<Leases> | undefined;
  const leases = (): Promise<Leases> =>
    (leasesOpened ??= openLeases(
      nc,
      names.leaseBucket,
      (key) => names.leaseReleasedSubject(key),
      leaseTtl,
      log,
    ));

  function track(stop: () => Promise<void>): Subscription {
    let isStopped = false;
    const subscription: Subscription = {
      async stop() {
        if (isStopped) return;
        isStopped = true;
        subscriptions.delete(subscription);
        await stop();
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  async function subscribeBatch(options: BatchOptions, handler: BatchHandler): Promise<Subscription> {
    if (isClosed) throw new Error('bus is closed');
    if (options.subjects.length === 0) throw new Error(`consumer ${options.consumer}: no subjects`);
    const group = names.durable(options.consumer);
    const maxBatch = Math.max(1, options.maxBatch);
    const parts = durableParts(group, options.subjects, prefix, isNats210);
    await ensureGroup(jsm, names.stream, group, parts, isNats210, ackWait);

    const known = consumerGroups.get(options.consumer);
    consumerGroups.set(options.consumer, {
      uses: (known?.uses ?? 0) + 1,
      durables: parts.map((p) => p.durable),
    });

    const failed = (m: JsMsg, event: EventEnvelope, err: unknown): void => {
      const attempt = m.info.deliveryCount;
      const ctx = { err, consumer: group, eventId: event.id, subject: event.subject, attempt };
      if (attempt >= MAX_DELIVER) {
        log.error(ctx, 'event handler failed for the last time: event dropped for this consumer');
        m.term();
      } else {
        log.warn(ctx, 'event handler failed: will retry');
        m.nak(retryDelayMs(attempt));
      }
    };

    // Acknowledgements are sent without waiting for the server's confirmation (one round trip per event
    // would cap a consumer near 2,000 events/s); stop() and close() flush them before returning.
    const handleBatch = async (batch: JsMsg[]): Promise<void> => {
      const good: Array<{ m: JsMsg; event: EventEnvelope }> = [];
      for (const m of batch) {
        const event = parseEnvelope(m.subject, () => m.json(), prefix);
        if (!event) {
          log.error({ consumer: group, subject: m.subject, seq: m.seq }, 'malformed event: dropped');
          m.term();
        } else good.push({ m, event });
      }
      if (good.length === 0) return;
      try {
        await handler(good.map((g) => g.event));
        for (const g of good) g.m.ack();
        return;
      } catch (err) {
        if (good.length === 1) return failed(good[0]!.m, good[0]!.event, err);
      }
      // Nothing of the batch was applied: each event goes again alone, so only a failing one waits.
      for (const g of good) {
        try {
          await handler([g.event]);
          g.m.ack();
        } catch (err) {
          failed(g.m, g.event, err);
        }
      }
    };
    const pull = (): Promise<Puller> => startPulling(parts, maxBatch, handleBatch, group);

    const forget = (): void => {
      const members = consumerGroups.get(options.consumer);
      if (members && members.uses > 1) members.uses--;
      else consumerGroups.delete(options.consumer);
    };
    // The server has every ack and nak once a stop returns: a restarted consumer does not replay them.
    const flush = async (): Promise<void> => {
      if (!nc.isClosed()) await nc.flush();
    };

    if (options.members !== 'one') {
      const puller = await pull();
      return track(async () => {
        forget();
        await puller.stop();
        await flush();
      });
    }
    // One member at a time: pull only while holding the group's lease; changes of holding apply in order.
    let puller: Puller | undefined;
    let changing: Promise<void> = Promise.resolve();
    const holding = (await leases()).hold(group, (isHolder) => {
      changing = changing.then(async () => {
        if (isHolder && !puller) puller = await startHolding();
        else if (!isHolder && puller) {
          const stopping = puller;
          puller = undefined;
          await stopping.stop();
        }
      });
      changing = changing.catch((err: unknown) =>
        log.error({ err, consumer: group }, 'consumer hand-over failed'),
      );
    });
    /**
     * Pulls as the holder; a holder that cannot pull (its durable gone) gives the lease up rather than renew
     * it without applying, which would stall the group: another member, or this one at its next look, tries.
     */
    async function startHolding(): Promise<Puller | undefined> {
      try {
        return await pull();
      } catch (err) {
        log.error({ err, consumer: group }, 'consumer could not start pulling: giving its lease up');
        await (await holding).release();
        return undefined;
      }
    }
    const lease = await holding;
    await changing;
    return track(async () => {
      forget();
      await lease.stop();
      await changing;
      await puller?.stop();
      await flush();
      // Only once this member has stopped applying may the next one start.
      await lease.release();
    });
  }

  interface Puller {
    /** Closes the pulls; a batch in hand finishes, messages pulled ahead go straight back. */
    stop(): Promise<void>;
  }

  /**
   * Pulls the group's durables into one batch loop: a loop per durable gathers pulled messages, holding off
   * the server once a batch is waiting; another takes whatever has gathered as the next batch, so batches
   * grow with the load and wait for no timer.
   */
  async function startPulling(
    parts: DurablePart[],
    maxBatch: number,
    handleBatch: (batch: JsMsg[]) => Promise<void>,
    group: string,
  ): Promise<Puller> {
    const pulls = await Promise.all(
      parts.map(async (part) => {
        const consumer = await js.consumers.get(names.stream, part.durable);
        const messages = await consumer.consume({ max_messages: Math.max(PULL_AHEAD, maxBatch) });
        void watchConsumer(messages, part.durable, log);
        return messages;
      }),
    );
    const buffer: JsMsg[] = [];
    let wakeTaker: (() => void) | undefined;
    /** Gatherers holding off the server while a full batch waits. */
    const waitingGatherers: Array<() => void> = [];
    let isEnded = false;
    let isStopping = false;

    const gatherers = Promise.all(
      pulls.map((messages, i) =>
        (async () => {
          for await (const m of messages) {
            buffer.push(m);
            wakeTaker?.();
            if (buffer.length >= maxBatch) await new Promise<void>((r) => waitingGatherers.push(r));
          }
        })().catch((err: unknown) => log.error({ err, consumer: parts[i]!.durable }, 'consume loop failed')),
      ),
    ).finally(() => {
      isEnded = true;
      wakeTaker?.();
    });
    const taker = (async () => {
      for (;;) {
        if (buffer.length === 0) {
          if (isEnded) return;
          await new Promise<void>((r) => (wakeTaker = r));
          wakeTaker = undefined;
          continue;
        }
        // The rest of one pull's messages arrive in this turn: let them join the batch.
        await new Promise((r) => setImmediate(r));
        const batch = buffer.splice(0, maxBatch);
        for (const gather of waitingGatherers.splice(0)) gather();
        // Messages pulled ahead before stop() go straight back, so another member takes them now rather
        // than after the ack wait; the batch in hand finishes first.
        if (isStopping) for (const m of batch) m.nak();
        else await handleBatch(batch);
      }
    })().catch((err: unknown) => log.error({ err, consumer: group }, 'consumer batch loop failed'));

    return {
      async stop() {
        isStopping = true;
        await Promise.all(pulls.map((messages) => messages.close()));
        for (const gather of waitingGatherers.splice(0)) gather();
        await Promise.all([gatherers, taker]);
      },
    };
  }

  return {
    kind: 'nats',

    async publish(event) {
      // Awaiting the PubAck is the point: the outbox marks an event published only once the stream has it.
      await js.publish(`${prefix}.${event.subject}`, JSON.stringify(event), { msgID: event.id });
    },

    subscribe(options, handler) {
      return subscribeBatch({ ...options, maxBatch: 1 }, (events) => handler(events[0]!));
    },

    subscribeBatch,

    async listen(subjects, listener, onGap) {
      if (isClosed) throw new Error('bus is closed');
      if (onGap) gapListeners.add(onGap);
      // A plain subscription sees every publish to the stream's subjects as it happens. The outbox may
      // publish an event again after a failure, which the stream drops but a subscriber would see twice.
      const recent = new Set<string>();
      const subs = subjects.map((s) =>
        nc.subscribe(`${prefix}.${s}`, {
          callback: (err, msg) => {
            if (err) return;
            const event = parseEnvelope(msg.subject, () => msg.json(), prefix);
            if (!event || recent.has(event.id)) return;
            recent.add(event.id);
            if (recent.size > LISTEN_MEMORY) recent.delete(recent.values().next().value!);
            try {
              listener(event);
            } catch (listenerErr) {
              log.error({ err: listenerErr, eventId: event.id }, 'live listener failed');
            }
          },
        }),
      );
      // Resolves once the server has the subscriptions: from then on, a publish from any process is heard.
      await nc.flush();
      return track(async () => {
        if (onGap) gapListeners.delete(onGap);
        for (const sub of subs) sub.unsubscribe();
        if (!nc.isClosed()) await nc.flush();
      });
    },

    signal(signal) {
      // Coalesced: many commits in one turn of the event loop wake the relays once.
      if (isClosed || signalsDue.has(signal)) return;
      signalsDue.add(signal);
      setImmediate(() => {
        signalsDue.delete(signal);
        if (isClosed || nc.isClosed() || nc.isDraining()) return;
        try {
          nc.publish(names.signalSubject(signal));
        } catch (err) {
          log.warn({ err, signal }, 'bus signal not sent');
        }
      });
    },

    async onSignal(signal, listener, options) {
      if (isClosed) throw new Error('bus is closed');
      // A group is a NATS queue group: the server hands each signal to one of its subscribers.
      const sub = nc.subscribe(names.signalSubject(signal), {
        callback: () => listener(),
        ...(options?.group === undefined ? {} : { queue: options.group }),
      });
      await nc.flush();
      return track(() => {
        sub.unsubscribe();
        return Promise.resolve();
      });
    },

    async consumerLag(): Promise<ConsumerLag[]> {
      // The server's counts for the group's durables: the whole group's, whichever process holds its messages.
      return Promise.all(
        [...consumerGroups].map(async ([consumer, { durables }]) => {
          const infos = await Promise.all(durables.map((d) => jsm.consumers.info(names.stream, d)));
          return {
            consumer,
            pending: infos.reduce((n, i) => n + i.num_pending, 0),
            inFlight: infos.reduce((n, i) => n + i.num_ack_pending, 0),
          };
        }),
      );
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

function parseEnvelope(subject: string, json: () => unknown, prefix: string): EventEnvelope | undefined {
  let value: unknown;
  try {
    value = json();
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Partial<Record<keyof EventEnvelope, unknown>>;
  const isValid =
    typeof e.id === 'string' &&
    typeof e.subject === 'string' &&
    subject === `${prefix}.${e.subject}` &&
    e.version === 1 &&
    typeof e.occurredAt === 'string' &&
    'data' in e;
  return isValid ? (value as EventEnvelope) : undefined;
}

async function watchConnection(nc: NatsConnection, log: NatsBusLog, onReconnect: () => void): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === 'disconnect' || s.type === 'reconnect') {
      log.warn({ nats: s.type, server: s.server }, 'nats connection');
      if (s.type === 'reconnect') onReconnect();
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

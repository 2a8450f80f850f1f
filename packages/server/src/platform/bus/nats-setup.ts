import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { BusSignal } from './bus';

/**
 * A connection of fanzha's: it reconnects forever (a NATS restart must not take the process down; publishes
 * fail meanwhile and the outbox retries them), and its requests (every JetStream publish) do not capture
 * a stack trace each for their errors' context (about half a percent of a process's CPU under the
 * bank-answer load, spent on traces nobody reads).
 */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, noAsyncTraces: true });
}

/** Redeliveries before the server gives up on an event (the handler is logged as failing for good). */
export const MAX_DELIVER = 10;
export const ACK_WAIT_MS = 30_000;
/** The outbox republishes after a crash; the server drops a repeated id seen within this window. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;
const MAX_AGE_MS = 7 * 24 * 60 * 60_000;

/** JetStream API error code, not among the client's named codes. */
const STREAM_NAME_IN_USE = 10058;

/**
 * Every NATS name of one deployment, all derived from its namespace: deployments sharing a NATS server
 * have disjoint streams, subjects and consumers. The subjects sit under `fanzha-<namespace>.`, never under
 * another deployment's root, so no two deployments' streams overlap (JetStream would refuse that).
 */
export interface NatsNames {
  /** The JetStream stream holding the deployment's events of record. */
  stream: string;
  /** Prefix of every event subject: `<prefix>.<event subject>`. */
  eventPrefix: string;
  /** Core NATS subject of a cross-process nudge (not stored). */
  signalSubject(signal: BusSignal): string;
  /** Durable consumer name of a consumer group. */
  durable(consumer: string): string;
  /** Key-value bucket of the leases of groups applied by one member at a time (keyed by durable name). */
  leaseBucket: string;
  /** Core NATS subject on which a lease's holder says it has given the lease up (not stored). */
  leaseReleasedSubject(key: string): string;
}

export function natsNames(namespace: string): NatsNames {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(namespace)) throw new Error(`invalid NATS namespace '${namespace}'`);
  const root = `fanzha-${namespace}`;
  return {
    stream: `FANZHA_${namespace}`,
    eventPrefix: `${root}.event`,
    signalSubject: (signal) => `${root}.wake.${signal}`,
    durable: (consumer) => durableName(`${namespace}_${consumer}`),
    leaseBucket: `FANZHA_${namespace}_leases`,
    leaseReleasedSubject: (key) => `${root}.lease-released.${key}`,
  };
}

/** NATS names allow neither `.`, `*`, `>` nor whitespace or slashes. */
export function durableName(consumer: string): string {
  const name = consumer.replace(/[^A-Za-z0-9_-]/g, '_');
  if (name.length === 0) throw new Error('consumer name is empty');
  return name;
}

export async function ensureStream(jsm: JetStreamManager, name: string, eventPrefix: string): Promise<void> {
  const config = {
    subjects: [`${eventPrefix}.>`],
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

/** One durable consumer of a consumer group, with its filter subjects. */
export interface DurablePart {
  durable: string;
  filters: string[];
}

/**
 * The durable consumers a consumer group takes its subjects through. NATS 2.10 and later filter one durable on
 * several subjects (`filter_subjects`); before 2.10 a durable has one filter subject, so a group taking several
 * subjects gets one durable per subject (`<group>__<subject>`): the server then hands the group only what it
 * takes, where one durable over all the deployment's subjects would hand every group every event to parse,
 * drop and acknowledge.
 */
export function durableParts(
  group: string,
  subjects: string[],
  eventPrefix: string,
  canFilterMany: boolean,
): DurablePart[] {
  const filters = subjects.map((s) => `${eventPrefix}.${s}`);
  if (filters.length === 1 || canFilterMany) return [{ durable: group, filters }];
  const parts = subjects.map((s, i) => ({ durable: durableName(`${group}__${s}`), filters: [filters[i]!] }));
  if (new Set(parts.map((p) => p.durable)).size !== parts.length)
    throw new Error(`consumer ${group}: two subjects give one durable name`);
  return parts;
}

/**
 * Makes a consumer group's durables as `parts` says, and removes the group's others: those of another server
 * version (one durable for all its subjects, or one per subject) or of subjects it no longer takes. A durable
 * made here while others of the group exist resumes after the lowest of their acknowledged floors, so moving
 * between the two shapes replays at most what was unacknowledged (the consumers apply each event once) and
 * loses nothing; a group new to the stream starts at its first event. A durable with nothing pending and
 * nothing unacknowledged counts as caught up with the stream, whatever its floor: one for a subject seldom
 * published has an old floor, which would replay the whole stream.
 */
export async function ensureGroup(
  jsm: JetStreamManager,
  stream: string,
  group: string,
  parts: DurablePart[],
  canUpdateFilters: boolean,
  ackWaitMs: number,
): Promise<void> {
  // Read before the durables: one caught up when listed has everything up to here at least.
  const last = (await jsm.streams.info(stream)).state.last_seq;
  const existing: ConsumerInfo[] = [];
  for await (const info of jsm.consumers.list(stream))
    if (info.name === group || info.name.startsWith(`${group}__`)) existing.push(info);
  const floors = existing.map((i) =>
    i.num_pending === 0 && i.num_ack_pending === 0
      ? Math.max(last, i.ack_floor.stream_seq)
      : i.ack_floor.stream_seq,
  );
  const resumeAfter = floors.length > 0 ? Math.min(...floors) : 0;
  for (const part of parts)
    await ensureConsumer(jsm, stream, part.durable, part.filters, canUpdateFilters, ackWaitMs, resumeAfter);
  const wanted = new Set(parts.map((p) => p.durable));
  for (const info of existing) {
    if (wanted.has(info.name)) continue;
    try {
      await jsm.consumers.delete(stream, info.name);
    } catch (err) {
      // Another process of the deployment removed it first.
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    }
  }
}

/**
 * Makes one durable consumer with these filter subjects, or moves an existing one to them. A new durable
 * starts after `resumeAfter` (a stream sequence) when it is given and positive, else at the stream's first
 * event.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  filters: string[],
  canUpdateFilters: boolean,
  ackWaitMs: number,
  resumeAfter = 0,
): Promise<void> {
  const filter: Partial<ConsumerConfig> =
    filters.length === 1 ? { filter_subject: filters[0] } : { filter_subjects: filters };
  const create = (start: Partial<ConsumerConfig>) =>
    jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ackWaitMs),
      max_deliver: MAX_DELIVER,
      ...start,
      ...filter,
    });

  let info: ConsumerInfo | undefined;
  try {
    info = await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
  }
  if (!info) {
    // DeliverPolicy.All: events published after the stream existed but before the first subscriber are
    // still delivered. Two processes creating the same durable at once send the same config, which the
    // server accepts as idempotent; when their starts differ (another process moved the floor meanwhile),
    // the first one made stands.
    try {
      await create(
        resumeAfter > 0
          ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: resumeAfter + 1 }
          : { deliver_policy: DeliverPolicy.All },
      );
    } catch (err) {
      if (!(await exists(jsm, stream, durable))) throw err;
    }
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

export function retryDelayMs(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 10_000);
}

async function exists(jsm: JetStreamManager, stream: string, durable: string): Promise<boolean> {
  try {
    await jsm.consumers.info(stream, durable);
    return true;
  } catch (err) {
    if (isApiError(err, JetStreamApiCodes.ConsumerNotFound)) return false;
    throw err;
  }
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

export function serverAtLeast(nc: NatsConnection, major: number, minor: number): boolean {
  const [ma = 0, mi = 0] = (nc.info?.version ?? '0.0').split('.').map(Number);
  return ma > major || (ma === major && mi >= minor);
}

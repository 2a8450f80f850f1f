import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';

/**
 * Leases over a JetStream key-value bucket: one holder of a key at a time across every process of a
 * deployment. A consumer group whose members would only get in each other's way (they lock the same rows)
 * lets one member apply while the others stand by.
 *
 * The holder renews its key well within the bucket's time to live; a holder that stops renewing (a crash,
 * a long pause) loses the key when it expires, and a standby takes it at its next look. A lease is an
 * economy, not a guarantee: two holders for a moment (an old one that has not yet noticed) apply the same
 * events at worst, which the consumers' `processed_event` makes harmless. A holder that stops releases its key
 * and says so on a plain subject, so a standby takes over at once rather than at its next look.
 */
export interface Leases {
  /**
   * Takes part in the election for `key`; `onChange(true)` when this member becomes the holder, `(false)`
   * when it ceases to be. Resolves after the first attempt (a first member holds the key on return).
   */
  hold(key: string, onChange: (isHolder: boolean) => void): Promise<Lease>;
}

export interface Lease {
  /** Stops renewing and looking; the key stays held until `release` (or expiry). */
  stop(): Promise<void>;
  /**
   * Gives the key up now, if held, and tells the standbys; the lease goes on looking (until `stop`), so this
   * member may take the key again at its next look if no other has.
   */
  release(): Promise<void>;
}

/** Where a lease's troubles are told (the bus's log). */
export interface LeaseLog {
  warn(obj: unknown, msg?: string): void;
}

export async function openLeases(
  nc: NatsConnection,
  bucket: string,
  releasedSubject: (key: string) => string,
  ttlMs: number,
  log: LeaseLog,
): Promise<Leases> {
  const kv = await new Kvm(nc).create(bucket, { ttl: ttlMs, history: 1 });
  const everyMs = Math.max(50, Math.floor(ttlMs / 4));
  return {
    hold: (key, onChange) =>
      holdLease({ nc, kv, key, everyMs, released: releasedSubject(key), log, onChange }),
  };
}

async function holdLease(o: {
  nc: NatsConnection;
  kv: KV;
  key: string;
  everyMs: number;
  released: string;
  log: LeaseLog;
  onChange: (isHolder: boolean) => void;
}): Promise<Lease> {
  const member = randomUUID();
  /** The key's revision while this member holds it. */
  let revision: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let isStopped = false;

  const attempt = async (): Promise<void> => {
    const wasHolder = revision !== undefined;
    try {
      revision = wasHolder ? await o.kv.update(o.key, member, revision!) : await take();
    } catch (err) {
      // Another member holds the key (a wrong-revision refusal) or the broker is unreachable: stand by.
      if (wasHolder) o.log.warn({ err, lease: o.key }, 'lease lost: standing by');
      revision = undefined;
    }
    if (wasHolder !== (revision !== undefined)) o.onChange(revision !== undefined);
  };
  /**
   * The key's revision once taken, or nothing when another member holds it; throws when another member
   * took it between the look and the write (or the broker is unreachable).
   */
  const take = async (): Promise<number | undefined> => {
    const entry = await o.kv.get(o.key);
    if (!entry || entry.operation !== 'PUT') return o.kv.create(o.key, member);
    // Still this member's after a lost renewal (the broker was away): take it back before it expires.
    if (entry.string() === member) return o.kv.update(o.key, member, entry.revision);
    return undefined;
  };
  const look = (): void => {
    running = running.then(attempt);
  };
  const schedule = (): void => {
    timer = setTimeout(() => {
      look();
      void running.then(() => {
        if (!isStopped) schedule();
      });
    }, o.everyMs);
  };
  // A member's own release is not a reason for it to look again at once: one that gave the key up because it
  // could not use it lets the others try first.
  const sub = o.nc.subscribe(o.released, {
    callback: (_err, msg) => {
      if (!isStopped && revision === undefined && msg.string() !== member) look();
    },
  });

  look();
  await running;
  schedule();
  return {
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      sub.unsubscribe();
      await running;
    },
    async release() {
      if (revision === undefined || o.nc.isClosed()) return;
      try {
        await o.kv.delete(o.key, { previousSeq: revision });
        o.nc.publish(o.released, member);
      } catch (err) {
        o.log.warn({ err, lease: o.key }, 'lease not released: it expires instead');
      }
      revision = undefined;
    },
  };
}

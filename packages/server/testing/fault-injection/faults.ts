import type { EventEnvelope } from '@fanzha/domain';
import type { Kysely, KyselyPlugin } from 'kysely';
import type { DB } from '../../src/db/schema';
import type { Bus } from '../../src/platform/bus/bus';

/** mulberry32: a tiny seeded PRNG, so that a seed replays the same faults exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a lost connection looks like to the code that ran the statement (the driver's own message). */
export class InjectedFault extends Error {
  constructor(what: string) {
    super(`Connection terminated unexpectedly (injected: ${what})`);
  }
}

/**
 * A view of `db` whose statement k (counted from `arm`) fails as a lost connection would: `before` the
 * statement reaches the database (it never ran) or `after` it ran (its answer is lost). In a transaction
 * the whole transaction rolls back, as a SIGKILL between two statements leaves it. One-shot: it disarms
 * itself when it fires.
 */
export function faultyDb(
  db: Kysely<DB>,
  /** For `kill`: ends the database sessions idle in a transaction; true if it ended any. */
  kill?: () => Promise<boolean>,
): {
  db: Kysely<DB>;
  /**
   * `kill` (PostgreSQL): after statement k the server ends the session of the transaction that ran it, as a
   * restart or a failover would; its next statement (or COMMIT) fails on the real dead connection.
   */
  arm(k: number, at: 'before' | 'after' | 'kill'): void;
  /** Disarms; true if the armed fault fired since `arm`. */
  disarm(): boolean;
} {
  let armed: { left: number; at: 'before' | 'after' | 'kill' } | undefined;
  let fired = false;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (armed && armed.at === 'before' && --armed.left === 0) {
        armed = undefined;
        fired = true;
        throw new InjectedFault('before a statement');
      }
      return args.node;
    },
    transformResult: async (args) => {
      if (armed && armed.at === 'kill' && kill && --armed.left === 0) {
        armed = undefined;
        fired = await kill();
      }
      if (armed && armed.at === 'after' && --armed.left === 0) {
        armed = undefined;
        fired = true;
        throw new InjectedFault('after a statement');
      }
      return args.result;
    },
  };
  return {
    db: db.withPlugin(plugin),
    arm(k, at) {
      armed = { left: k, at };
      fired = false;
    },
    disarm() {
      armed = undefined;
      return fired;
    },
  };
}

/** A bus whose publishes fail while `down` publishes are left to fail (the broker down, then back). */
export function faultyBus(bus: Bus): Bus & { failNext(n: number): void; failed(): number } {
  let down = 0;
  let failed = 0;
  return {
    kind: bus.kind,
    publish(event: EventEnvelope) {
      if (down > 0) {
        down--;
        failed++;
        return Promise.reject(new Error('bus unavailable (injected)'));
      }
      return bus.publish(event);
    },
    subscribe: (o, h) => bus.subscribe(o, h),
    subscribeBatch: (o, h) => bus.subscribeBatch(o, h),
    listen: (s, l, g) => bus.listen(s, l, g),
    signal: (s) => bus.signal(s),
    onSignal: (s, l) => bus.onSignal(s, l),
    consumerLag: () => bus.consumerLag(),
    close: () => bus.close(),
    failNext(n: number) {
      down = n;
    },
    failed: () => failed,
  };
}

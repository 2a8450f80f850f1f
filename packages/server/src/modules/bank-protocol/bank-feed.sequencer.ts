import type { Clock } from '@fanzha/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { newEvent } from '../../platform/events';
import type { Logger } from '../../platform/logger';
import { enqueue } from '../../platform/outbox/outbox';
import { bankInstructionRepository as repo, type BankInstructionRow } from './bank-instructions.repository';
import { toSignedInstruction } from './bank-instructions.view';

/** How many pending changes one round numbers at most. */
const ROUND = 1000;

/**
 * Numbers the banks' feeds. A writer leaves the instructions it changes `pending` and never locks a feed; once
 * it has committed, the process's sequencer numbers every pending change in one short transaction of its own
 * (`sweep({ known: true })`, awaited through the service's `afterCommit` before the writer answers), so
 * concurrent answers naming the same banks share one round instead of queueing on the feeds' row locks. A
 * read of a bank's feed numbers that bank's pending changes first (`settle`), and background roles sweep
 * every second for what a lost round left. Each numbered change is announced with `bank-instruction.changed`,
 * carrying its number.
 */
export function createFeedSequencer(deps: {
  db: Kysely<DB>;
  clock: Clock;
  /** The relay publishes the round's events. */
  wakeRelay: () => void;
  log?: Logger;
}) {
  const { db, clock } = deps;
  /** Requests made so far, and the last request a finished pass started after (each caller waits for one). */
  let requested = 0;
  let served = 0;
  const waiting: Array<{ request: number; done: () => void }> = [];
  /** A writer has committed pending changes: the next pass needs no look first. */
  let known = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function round(bankCode?: string): Promise<BankInstructionRow[]> {
    const rows = await db.transaction().execute(async (trx) => {
      const numbered = await repo.numberPending(trx, ROUND, bankCode);
      await enqueue(
        trx,
        ...numbered.map((r) =>
          newEvent(
            'bank-instruction.changed',
            { bankCode: r.bank_code, item: toSignedInstruction(r) },
            clock,
          ),
        ),
      );
      return numbered;
    });
    if (rows.length > 0) deps.wakeRelay();
    return rows;
  }

  /** One pass: rounds until nothing is pending (what a writer still holds locked waits for its next pass). */
  async function pass(): Promise<void> {
    const sure = known;
    known = false;
    try {
      // One look (the partial index of pending rows) before a transaction: the sweep runs every second in
      // every worker and almost always finds nothing. After a writer's commit there is no need.
      if (!sure && !(await repo.hasPending(db))) return;
      while ((await round()).length === ROUND);
    } catch (err) {
      deps.log?.error({ err }, 'numbering the banks’ feeds failed; the next pass retries');
    }
  }

  /**
   * Resolves once a pass that began after this call has finished: what the caller committed before calling is
   * then numbered. Calls made during a pass share the next one, so concurrent writers share rounds instead of
   * each taking the feeds' locks in turn; a failed pass is logged and leaves the rows to the sweep.
   */
  function request(options: { known?: boolean } = {}): Promise<void> {
    if (options.known) known = true;
    const mine = ++requested;
    const done = new Promise<void>((resolve) => waiting.push({ request: mine, done: resolve }));
    running ??= (async () => {
      try {
        while (served < requested) {
          const startedAt = requested;
          await pass();
          served = startedAt;
          for (let i = waiting.length - 1; i >= 0; i--)
            if (waiting[i]!.request <= served) waiting.splice(i, 1)[0]!.done();
        }
      } finally {
        running = undefined;
      }
    })();
    return done;
  }

  return {
    /**
     * Numbers one bank's pending changes now (a read of its feed must show them in place). Rows a writer still
     * holds locked are numbered after that writer's commit. `known` when the caller has just seen some pending
     * (no look first).
     */
    async settle(bankCode: string, options: { known?: boolean } = {}): Promise<void> {
      if (!options.known && !(await repo.hasPending(db, bankCode))) return;
      while ((await round(bankCode)).length === ROUND);
    },
    /**
     * Numbers whatever is pending now, in every bank's feed (what the timer of `start` runs); `known` when a
     * writer has just committed changes (no look first).
     */
    sweep: request,
    /** Every `everyMs`, numbers whatever is pending. */
    start(everyMs: number): void {
      timer ??= setInterval(() => void request(), everyMs);
      timer.unref();
    },
    /** Stops the sweep and waits for the pass in flight. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
export type FeedSequencer = ReturnType<typeof createFeedSequencer>;

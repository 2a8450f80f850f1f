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
 * The safety net of the banks' feeds: every transaction numbers the instructions it changed as its last step
 * (`seal`), but one that did not leaves them pending. A read of a bank's feed numbers that bank's pending
 * changes first (`settle`), and background roles sweep all of them every second, announcing each with
 * `bank-instruction.changed`, carrying its number.
 */
export function createFeedSequencer(deps: {
  db: Kysely<DB>;
  clock: Clock;
  /** The relay publishes the round's events. */
  wakeRelay: () => void;
  log?: Logger;
}) {
  const { db, clock } = deps;
  let again = false;
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

  /** Rounds until nothing is pending, and once more if asked again meanwhile. */
  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          // One look (the partial index of pending rows) before a transaction: the sweep runs every second
          // in every worker and almost always finds nothing.
          if (!(await repo.hasPending(db))) continue;
          while ((await round()).length === ROUND);
        } while (again);
      } catch (err) {
        deps.log?.error({ err }, 'numbering the banks’ feeds failed; the next round retries');
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    /**
     * Numbers one bank's pending changes now (a read of its feed must show them in place). Rows a writer still
     * holds locked are left to that writer.
     */
    async settle(bankCode: string): Promise<void> {
      if (!(await repo.hasPending(db, bankCode))) return;
      while ((await round(bankCode)).length === ROUND);
    },
    /** Numbers whatever is pending now, in every bank's feed (what the timer of `start` runs). */
    sweep: run,
    /** Every `everyMs`, numbers whatever is pending. */
    start(everyMs: number): void {
      timer ??= setInterval(() => void run(), everyMs);
      timer.unref();
    },
    /** Stops the sweep and waits for the round in flight. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
export type FeedSequencer = ReturnType<typeof createFeedSequencer>;

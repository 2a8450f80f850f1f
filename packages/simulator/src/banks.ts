import type { InstructionList, SignedInstruction } from '@fanzha/contracts';
import { isHoldKind, isOpenBankInstruction } from '@fanzha/domain';
import { createMeasureDesk } from './bank-confirm';
import { createBankLine, headOf, type BankDeps } from './bank-line';
import { createStopDesk } from './bank-stops';
import { countError } from './stats';
import { wakeOnStream } from './stream-wake';

export type { BankFault } from './bank-line';

/**
 * One simulated bank's system, connected the way the integration guide tells a bank to: its API key, the
 * stream to hear when to look, and its change feed (`GET /api/bank/instructions?after=`) as the source of
 * truth, followed with the cursor — every instruction of every kind arrives once per change, so nothing is
 * listed twice. It verifies the centre's signature, answers emergency stops (bank-stops.ts) and confirms
 * freezes, renewals, releases, returns and lapse notices (bank-confirm.ts), each on its own time.
 *
 * A bank left to people (the demo accounts' banks) only watches: it answers nothing, and tells the
 * simulation what people answered, so the money trail and the robot officers move on.
 */
const MIN_POLL_GAP_MS = 25;
/** How long an instruction no simulated fraud explains is looked at again (its report number may be late). */
const UNEXPLAINED_FOR_MS = 10 * 60_000;
const PAGE = 200;

export interface SimulatedBank {
  bankCode: string;
  pause(): void;
  resume(): void;
  stop(): void;
}

export function startSimulatedBank(deps: BankDeps): SimulatedBank {
  const { stats, timers } = deps;
  const line = createBankLine(deps);
  const stops = createStopDesk(line);
  const measures = createMeasureDesk(line);
  // Instructions this bank took on (scheduled an answer for), in two generations so a bank running for
  // days forgets old ones; their later changes in the feed are its own answers echoing back.
  let taken = new Set<string>();
  let takenBefore = new Set<string>();
  let generationStartedAt = Date.now();
  const isTaken = (id: string) => taken.has(id) || takenBefore.has(id);
  const verified = new Set<string>();
  // Emergency stops not explained yet, looked at again on every read until they are (or for ten minutes).
  const unexplained = new Map<string, { item: SignedInstruction; since: number }>();
  // The feed from where this run began: what came before belongs to no fraud of this run.
  const since = new Date(Date.now() - 60_000).toISOString();
  let cursor: string | undefined;
  const stream = new AbortController();
  let isPaused = deps.fault.isPaused === true;
  if (isPaused && deps.fault.pausedForMs !== undefined)
    timers.at(Date.now() + deps.fault.pausedForMs, () => resume());
  let wake: (() => void) | undefined;
  let isPollAgain = false;

  wakeOnStream({
    url: `${deps.baseUrl}/api/stream`,
    headers: { authorization: `Bearer ${deps.apiKey}` },
    signal: stream.signal,
    onMessage: (data) => {
      // A robot bank needs news of new instructions only (its own answers echo back too); a watching one,
      // of people's answers as well.
      const isNews = deps.isLeftToPeople
        ? data.includes('"bank-instruction"')
        : data.includes('"status":"sent"');
      if (!isNews) return;
      isPollAgain = true;
      wake?.();
    },
  });

  function isGenuine(item: SignedInstruction): boolean {
    const id = headOf(item).instructionId;
    if (verified.has(id)) return true;
    if (!deps.verify(item.instruction, item.signature, item.algorithm)) {
      // A bank refuses what it cannot verify; it never answers it.
      countError(stats, 'bad_instruction_signature');
      return false;
    }
    verified.add(id);
    return true;
  }

  /** An emergency stop, open or answered: the simulation's plan for it, if any yet. */
  function stop(item: SignedInstruction): void {
    const id = headOf(item).instructionId;
    const plan = stops.resolve(item);
    if (!plan) {
      // Answered by a person meanwhile: nothing left to explain.
      if (!isOpenBankInstruction(item.status)) unexplained.delete(id);
      else if (!unexplained.has(id)) {
        stats.foreignInstructions++;
        unexplained.set(id, { item, since: Date.now() });
      }
      return;
    }
    if (unexplained.delete(id)) stats.foreignInstructions--;
    if (!isOpenBankInstruction(item.status)) return stops.answeredBy(plan, item, deps.isLeftToPeople);
    if (deps.isLeftToPeople) return;
    taken.add(id);
    stops.take(plan, item);
  }

  function receive(item: SignedInstruction): void {
    const id = headOf(item).instructionId;
    if (isTaken(id) || !isGenuine(item)) return;
    if (item.kind === 'emergency_stop_payment') return stop(item);
    if (!isOpenBankInstruction(item.status)) return measures.confirmedBy(item);
    if (deps.isLeftToPeople) return;
    taken.add(id);
    if (isHoldKind(item.kind)) return measures.takeHold(item, item.kind);
    measures.take(item);
  }

  async function readFeed(): Promise<void> {
    for (;;) {
      const query = { status: 'all', limit: PAGE, ...(cursor ? { after: cursor } : { updatedSince: since }) };
      const page: InstructionList = await line.client.GET('/api/bank/instructions', { params: { query } });
      for (const item of page.instructions) receive(item);
      if (page.nextCursor) cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    for (const [id, u] of unexplained) {
      if (Date.now() - u.since > UNEXPLAINED_FOR_MS) unexplained.delete(id);
      else stop(u.item);
    }
  }

  void (async () => {
    while (!timers.isStopped) {
      isPollAgain = false;
      if (Date.now() - generationStartedAt > 10 * 60_000) {
        takenBefore = taken;
        taken = new Set();
        verified.clear();
        generationStartedAt = Date.now();
      }
      if (!isPaused) await readFeed().catch((err: unknown) => countError(stats, 'bank_poll', err));
      // More news came in meanwhile: look again shortly (not at once, so a busy run batches its reads).
      if (isPollAgain && !isPaused) {
        await timers.sleep(MIN_POLL_GAP_MS);
        continue;
      }
      await Promise.race([timers.sleep(deps.pollMs), new Promise<void>((resolve) => (wake = resolve))]);
      wake = undefined;
    }
  })();

  function resume() {
    isPaused = false;
    wake?.();
  }

  return {
    bankCode: deps.bankCode,
    pause: () => (isPaused = true),
    resume,
    stop: () => {
      stream.abort();
      wake?.();
    },
  };
}

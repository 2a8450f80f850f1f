import {
  ApiError,
  createClient,
  type InstructionResultRequest,
  type SignedInstruction,
  type StopPaymentView,
} from '@fanzha/contracts';
import { createReturnDesk } from './bank-returns';
import type { ReturnBook } from './returns';
import type { AnswerKey } from './signing';
import { withRetry } from './session';
import { countError, recordRoundTrip, type SimStats } from './stats';
import { wakeOnStream } from './stream-wake';
import { limiter, type Timers } from './timers';
import type { InstructionPlan, World } from './world';

/**
 * One simulated bank's system, connected the way the integration guide tells a bank to: its API key,
 * the stream to hear of new instructions, the pull queue as the source of truth, signed answers with an
 * Idempotency-Key. It answers on its own response-time profile with what the money trail says.
 * Faults for tests: `slow` stretches its answer times (and so lets more money move on), `isPaused`
 * stops it reading its queue (for `pausedForMs`, or until resumed), `isAnsweringTwice` sends every
 * answer again (same key, then a new key).
 */
export interface BankFault {
  slow?: number;
  isPaused?: boolean;
  pausedForMs?: number;
  isAnsweringTwice?: boolean;
}

const MIN_POLL_GAP_MS = 25;

export interface SimulatedBank {
  bankCode: string;
  pause(): void;
  resume(): void;
  stop(): void;
}

export function startSimulatedBank(deps: {
  bankCode: string;
  baseUrl: string;
  apiKey: string;
  answerKey: AnswerKey;
  verify: (payload: unknown, signature: string) => boolean;
  world: World;
  stats: SimStats;
  timers: Timers;
  pace: number;
  pollMs: number;
  fault: BankFault;
  /** Returns of funds the case robots approved, for this bank to confirm. */
  returns: ReturnBook;
}): SimulatedBank {
  const { world, stats, timers } = deps;
  const headers = { authorization: `Bearer ${deps.apiKey}` };
  const client = createClient({ baseUrl: deps.baseUrl, headers });
  const answering = limiter(4);
  const returnDesk = createReturnDesk({ ...deps, client, book: deps.returns });
  // Instructions already taken care of, in two generations so a bank running for days forgets old ones.
  let handled = new Set<string>();
  let handledBefore = new Set<string>();
  let generationStartedAt = Date.now();
  const isHandled = (id: string) => handled.has(id) || handledBefore.has(id);
  const unexplained = new Set<string>();
  const stream = new AbortController();
  let isPaused = deps.fault.isPaused === true;
  if (isPaused && deps.fault.pausedForMs !== undefined)
    timers.at(Date.now() + deps.fault.pausedForMs, () => resume());
  let wake: (() => void) | undefined;
  let isPollAgain = false;

  wakeOnStream({
    url: `${deps.baseUrl}/api/stream`,
    headers,
    signal: stream.signal,
    onMessage: (data) => {
      // Only a newly sent instruction is news; the bank's own acknowledgements and answers echo back too.
      if (!data.includes('"status":"sent"')) return;
      isPollAgain = true;
      wake?.();
    },
  });

  async function answer(plan: InstructionPlan, item: SignedInstruction): Promise<void> {
    if (world.isAnswered(plan)) return;
    const a = plan.answer;
    const body: InstructionResultRequest = {
      outcome: a.outcome,
      stoppedFen: a.stoppedFen,
      balanceFen: a.balanceFen,
      ...(a.failureReason ? { failureReason: a.failureReason } : {}),
      ...(a.note ? { note: a.note } : {}),
      onwardTransfers: a.onward.map((p) => ({
        account: { number: p.account.number, name: p.account.name },
        amountFen: p.amountFen,
        transferredAt: new Date(world.realAt(plan.run, p.arrivedAt)).toISOString(),
      })),
    };
    const id = item.instruction.instructionId;
    const send = (key: string) =>
      client.request<StopPaymentView>('POST', `/api/bank/instructions/${id}/result`, body, {
        'idempotency-key': key,
        'x-fanzha-signature': deps.answerKey.sign({ instructionId: id, idempotencyKey: key, answer: body }),
      });
    try {
      // The same key on a retry: fanzha applies the answer once, however often it arrives.
      const first = await withRetry(() => send(`sim-${id}`));
      recordRoundTrip(stats, Date.now() - Date.parse(item.instruction.issuedAt));
      world.answered(plan, 'ours');
      if (deps.fault.isAnsweringTwice) {
        for (const key of [`sim-${id}`, `sim-${id}-again`]) {
          const again = await send(key);
          if (JSON.stringify(again.result) === JSON.stringify(first.result)) stats.duplicateAnswersAbsorbed++;
          else countError(stats, 'duplicate_answer_changed_state');
        }
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // A liaison in the console answered first.
        stats.answeredElsewhere++;
        world.answered(plan, 'elsewhere');
        return;
      }
      countError(stats, err instanceof ApiError ? `bank_answer_${err.status}` : 'bank_answer_network', err);
      world.answered(plan, 'error');
    }
  }

  function receive(item: SignedInstruction): void {
    const id = item.instruction.instructionId;
    if (isHandled(id)) return;
    if (!deps.verify(item.instruction, item.signature)) {
      // A bank refuses what it cannot verify; it never answers it.
      handled.add(id);
      countError(stats, 'bad_instruction_signature');
      return;
    }
    const plan = world.resolve(item.instruction);
    if (!plan) {
      // Not ours (someone typed a report by hand), or its report number is still on the way: look again later.
      if (!unexplained.has(id)) stats.foreignInstructions++;
      unexplained.add(id);
      return;
    }
    if (unexplained.delete(id)) stats.foreignInstructions--;
    handled.add(id);
    stats.instructionsReceived++;
    // The bank's own response time, counted from when fanzha sent the instruction.
    const due = Date.parse(item.instruction.issuedAt) + (plan.answerAt - plan.sendAt) * deps.pace;
    if (item.status === 'sent' && due - Date.now() > 1_000)
      void answering(() => client.acknowledgeInstruction(id)).catch((err: unknown) => {
        // Answered meanwhile (by a liaison in the console): nothing to acknowledge.
        if (!(err instanceof ApiError && err.status === 409)) countError(stats, 'bank_ack', err);
      });
    timers.at(due, () => void answering(() => answer(plan, item)));
  }

  void (async () => {
    while (!timers.isStopped) {
      isPollAgain = false;
      if (Date.now() - generationStartedAt > 10 * 60_000) {
        handledBefore = handled;
        handled = new Set();
        generationStartedAt = Date.now();
      }
      if (!isPaused) {
        try {
          const { instructions } = await client.bankInstructions({ status: 'sent,acknowledged', limit: 200 });
          for (const item of instructions) receive(item);
        } catch (err) {
          countError(stats, 'bank_poll', err);
        }
        await returnDesk.poll().catch((err: unknown) => countError(stats, 'bank_returns_poll', err));
      }
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

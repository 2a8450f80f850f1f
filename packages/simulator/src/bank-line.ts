import {
  ApiError,
  createApiClient,
  type ApiClient,
  type InstructionResultRequest,
  type MeasureConfirmationRequest,
  type SignedInstruction,
  type StopPaymentView,
} from '@fanzha/contracts';
import type { MeasureBook } from './measures';
import { withRetry } from './session';
import type { Seed } from './rng';
import type { AnswerKey } from './signing';
import { countError, type SimStats } from './stats';
import { limiter, type Timers } from './timers';
import type { World } from './world';

/**
 * Faults for tests: `slow` stretches a bank's answer and confirmation times (and so lets more money move
 * on), `isPaused` stops it reading its feed (for `pausedForMs`, or until resumed), `isAnsweringTwice` sends
 * every answer and confirmation again (same key, then a new key).
 */
export interface BankFault {
  slow?: number;
  isPaused?: boolean;
  pausedForMs?: number;
  isAnsweringTwice?: boolean;
}

export interface BankDeps {
  bankCode: string;
  baseUrl: string;
  apiKey: string;
  answerKey: AnswerKey;
  verify: (payload: unknown, signature: string, algorithm?: 'Ed25519' | 'SM2') => boolean;
  seed: Seed;
  world: World;
  measures: MeasureBook;
  stats: SimStats;
  timers: Timers;
  pace: number;
  pollMs: number;
  fault: BankFault;
  /** People answer this bank's instructions (a demo account's bank): it only watches its feed. */
  isLeftToPeople: boolean;
}

/** What a bank's desks share: its client, its signing key, its clock and its pace of work. */
export interface BankLine {
  deps: BankDeps;
  world: World;
  stats: SimStats;
  client: ApiClient;
  postSigned: PostSigned;
  /** Acknowledges an instruction that will take the bank a while (more than a second away). */
  acknowledgeIfSlow(item: SignedInstruction, dueReal: number): void;
  /** Runs `work` at wall-clock `dueReal`, a few at a time. */
  schedule(dueReal: number, work: () => Promise<void>): void;
  /**
   * Sends an answer or a confirmation until it gets through: the same Idempotency-Key makes a repeat
   * harmless, so a bank repeats it after a network failure or any 5xx (as the guide says to). A 500 is
   * still counted as an error: fanzha must never answer one.
   */
  deliver<T>(send: () => Promise<T>): Promise<T>;
}

/**
 * Posts an answer (`result`) or a confirmation (`confirm`) with its Idempotency-Key, signed as the guide
 * says: the canonical JSON of `{ instructionId, idempotencyKey, answer|confirmation: body }` (the server
 * checks the signature over the body it parsed, so the bytes on the wire need not be canonical).
 */
interface PostSigned {
  (id: string, action: 'result', key: string, body: InstructionResultRequest): Promise<StopPaymentView>;
  (id: string, action: 'confirm', key: string, body: MeasureConfirmationRequest): Promise<SignedInstruction>;
}

/**
 * What every instruction of protocol version 2 carries. (The contract's type also admits version 1 stops,
 * signed before the upgrade, which have no `issuedAt`: a run never sees them, it reads from its start.)
 */
export const headOf = (item: SignedInstruction) =>
  item.instruction as { instructionId: string; issuedAt: string; reportNumber: string };

export function createBankLine(deps: BankDeps): BankLine {
  const headers = { authorization: `Bearer ${deps.apiKey}` };
  const client = createApiClient({ baseUrl: deps.baseUrl, headers });
  const working = limiter(4);
  return {
    deps,
    world: deps.world,
    stats: deps.stats,
    client,
    postSigned: ((id, action, key, body) => {
      const field = action === 'result' ? 'answer' : 'confirmation';
      const header = {
        'idempotency-key': key,
        'x-fanzha-signature': deps.answerKey.sign({ instructionId: id, idempotencyKey: key, [field]: body }),
      };
      const params = { path: { id }, header };
      return action === 'result'
        ? client.POST('/api/bank/instructions/{id}/result', {
            params,
            body: body as InstructionResultRequest,
          })
        : client.POST('/api/bank/instructions/{id}/confirm', {
            params,
            body: body as MeasureConfirmationRequest,
          });
    }) as PostSigned,
    acknowledgeIfSlow(item, dueReal) {
      if (item.status !== 'sent' || dueReal - Date.now() <= 1_000) return;
      const params = { path: { id: headOf(item).instructionId } };
      void working(() => client.POST('/api/bank/instructions/{id}/ack', { params, body: {} })).catch(
        (err: unknown) => {
          // Answered meanwhile (by a liaison in the console): nothing to acknowledge.
          if (!(err instanceof ApiError && err.status === 409)) countError(deps.stats, 'bank_ack', err);
        },
      );
    },
    schedule(dueReal, work) {
      deps.timers.at(dueReal, () => void working(work));
    },
    deliver: (send) =>
      withRetry(
        () =>
          send().catch((err: unknown) => {
            if (err instanceof ApiError && err.status === 500) countError(deps.stats, 'server_500', err);
            throw err;
          }),
        4,
        (err) => err instanceof ApiError && err.status >= 500,
      ),
  };
}

import {
  ApiError,
  createApiClient,
  type CountermeasureAnswer,
  type CountermeasureView,
} from '@fanzha/contracts';
import type { CountermeasureBook } from './countermeasure-book';
import { liftDelayMs, planPartyAnswer } from './countermeasure-mix';
import type { Seed } from './rng';
import { withRetry } from './session';
import type { AnswerKey } from './signing';
import { countError, tally, type SimStats } from './stats';
import { limiter, pacedWork, type Timers } from './timers';

/** An operator's or a bank's system, answering countermeasures with its key (signal key or bank key). */
export interface AnsweringParty {
  partyCode: string;
  apiKey: string;
  answerKey: AnswerKey;
}

type Verify = (payload: unknown, signature: string, algorithm?: 'Ed25519' | 'SM2') => boolean;

/** The algorithm a signed instruction names (`ed25519` or `sm2`, in any case), as the verifier takes it. */
const algorithmOf = (a: string): 'Ed25519' | 'SM2' => (a.toUpperCase() === 'SM2' ? 'SM2' : 'Ed25519');

/** Whether the centre signed this countermeasure's request: a party acts only on what the centre signed. */
export const isSignedRequest = (item: CountermeasureView, verify: Verify): boolean =>
  verify(item.instruction, item.signature, algorithmOf(item.algorithm));

/**
 * Whether the lift asked of `partyCode` on this countermeasure is the centre's: a lift instruction, for this
 * countermeasure, this party, its kind and target, whose signature verifies with the centre's key. A lift
 * without one (or with another's) is never confirmed.
 */
export function isSignedLift(item: CountermeasureView, partyCode: string, verify: Verify): boolean {
  const lift = item.lift;
  if (!lift) return false;
  const i = lift.instruction;
  return (
    i.action === 'lift' &&
    i.countermeasureId === item.id &&
    i.partyCode === partyCode &&
    i.kind === item.kind &&
    i.value === item.value &&
    verify(i, lift.signature, algorithmOf(lift.algorithm))
  );
}

/** Pages of pending countermeasures a party reads in one look. */
const MAX_PAGES = 5;

/**
 * The operators' and banks' systems answering the centre's countermeasures through the API, as
 * docs/countermeasures.md tells integrators: each polls its pending ones with its key, verifies the centre's
 * signature on each instruction (one that does not verify is never acted on), acknowledges after a short
 * delay, then executes or refuses (countermeasure-mix.ts: a number not its subscriber's, insufficient
 * grounds, already done…) after minutes — delays at people's pace times `pace` — and confirms lifts, each only
 * once the signature on its lift instruction verifies too. Every
 * answer carries an `Idempotency-Key` and `X-Fanzha-Signature`, so a retry changes nothing.
 */
export function startCountermeasureParties(deps: {
  baseUrl: string;
  parties: readonly AnsweringParty[];
  seed: Seed;
  pace: number;
  pollMs: number;
  verify: Verify;
  book: CountermeasureBook;
  timers: Timers;
  stats: SimStats;
  /** Tests: the transport. */
  fetch?: typeof fetch;
}): { stop(): void; inFlight(): number } {
  const sending = limiter(4);
  let isStopped = false;
  // Answers wait at people's pace, counted as open work until they have run.
  const work = pacedWork({
    timers: deps.timers,
    pace: deps.pace,
    onError: (err) => {
      if (!isStopped) countError(deps.stats, 'countermeasure_answer', err);
    },
  });
  const later = work.later;

  for (const party of deps.parties) {
    const client = createApiClient({
      baseUrl: deps.baseUrl,
      headers: { authorization: `Bearer ${party.apiKey}` },
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    /** `id:answer` and `id:lift` already planned: each stage is planned once. */
    const seen = new Set<string>();
    let isPolling = false;

    const answer = async (item: CountermeasureView, body: CountermeasureAnswer): Promise<boolean> => {
      const key = `sim-${item.id}-${body.answer}`;
      const signature = party.answerKey.sign({
        countermeasureId: item.id,
        idempotencyKey: key,
        answer: body,
      });
      try {
        await sending(() =>
          withRetry(() =>
            client.POST('/api/countermeasures/{id}/answer', {
              params: {
                path: { id: item.id },
                header: { 'idempotency-key': key, 'x-fanzha-signature': signature },
              },
              body,
            }),
          ),
        );
        tally(deps.stats.countermeasureAnswers, body.answer);
        if (body.refusalReason) tally(deps.stats.countermeasureAnswers, `refused:${body.refusalReason}`);
        return true;
      } catch (err) {
        // A liaison at the console answered first: theirs stands.
        if (err instanceof ApiError && err.status === 409) return false;
        throw err;
      }
    };

    const plan = (item: CountermeasureView) => {
      if (!isSignedRequest(item, deps.verify)) {
        // A party acts only on what the centre signed.
        countError(deps.stats, 'bad_countermeasure_signature');
        return;
      }
      if (item.status === 'lift_requested') {
        // Nor lifts anything but what the centre signed as a lift of this very countermeasure.
        if (!isSignedLift(item, party.partyCode, deps.verify)) {
          countError(deps.stats, 'bad_countermeasure_lift_signature');
          return;
        }
        return later(liftDelayMs(deps.seed, item.id), async () => {
          await answer(item, { answer: 'lifted' });
          deps.book.settle(item.id, 'lift');
        });
      }
      const p = planPartyAnswer(deps.seed, item);
      const final = async () => {
        await answer(item, p.answer);
        deps.book.settle(item.id, 'answer');
      };
      if (item.status === 'acknowledged') return later(p.answerAfterMs - p.acknowledgeAfterMs, final);
      later(p.acknowledgeAfterMs, async () => {
        // Acknowledged, or answered meanwhile at the console: either way nothing more to do then.
        if (await answer(item, { answer: 'acknowledged' }))
          later(p.answerAfterMs - p.acknowledgeAfterMs, final);
        else deps.book.settle(item.id, 'answer');
      });
    };

    const poll = async () => {
      if (isPolling || isStopped) return;
      isPolling = true;
      try {
        let after: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const list = await client.GET('/api/countermeasures', {
            params: { query: { status: 'open', limit: 100, ...(after ? { after } : {}) } },
          });
          for (const item of list.items) {
            const stage = `${item.id}:${item.status === 'lift_requested' ? 'lift' : 'answer'}`;
            if (seen.has(stage)) continue;
            seen.add(stage);
            plan(item);
          }
          if (!list.nextCursor) break;
          after = list.nextCursor;
        }
      } catch (err) {
        if (!isStopped) countError(deps.stats, 'countermeasure_poll', err);
      } finally {
        isPolling = false;
      }
    };

    const tick = () => {
      if (isStopped) return;
      void poll();
      deps.timers.at(Date.now() + deps.pollMs, tick);
    };
    tick();
  }

  return {
    stop: () => {
      isStopped = true;
    },
    inFlight: () => work.open() + sending.busy(),
  };
}

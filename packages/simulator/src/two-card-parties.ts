import {
  ApiError,
  createApiClient,
  type TwoCardInstructionAnswer,
  type TwoCardInstructionView,
} from '@fanzha/contracts';
import { rngFor, type Seed } from './rng';
import { withRetry } from './session';
import type { AnsweringParty } from './countermeasure-parties';
import { countError, tally, type SimStats } from './stats';
import { limiter, pacedWork, type Timers } from './timers';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export interface TwoCardAnswerPlan {
  acknowledgeAfterMs: number;
  answerAfterMs: number;
  answer: TwoCardInstructionAnswer;
}

/**
 * How a bank's or operator's back office answers a two-cards measure (断卡惩戒): it acknowledges within minutes
 * and sets the restriction on the person's profile within hours (a lift too); a few are refused — a bank that no
 * longer has the person as a customer, an ID number that does not match its records. The same seed and
 * instruction give the same plan.
 */
export function planTwoCardAnswer(
  seed: Seed,
  item: { id: string; partyKind: 'bank' | 'operator'; action: 'apply' | 'lift' },
): TwoCardAnswerPlan {
  const rng = rngFor(seed, 'two-card-answer', item.id);
  const acknowledgeAfterMs = clamp(rng.logNormal(60, 0.6), 10, 600) * 1000;
  const answerAfterMs = acknowledgeAfterMs + clamp(rng.logNormal(30, 0.7), 2, 240) * 60_000;
  // A lift is always carried out; an applied measure is refused now and then.
  if (item.action === 'apply' && rng.chance(0.04))
    return {
      acknowledgeAfterMs,
      answerAfterMs: acknowledgeAfterMs + (answerAfterMs - acknowledgeAfterMs) / 2,
      answer: {
        answer: 'refused',
        refusalReason:
          item.partyKind === 'bank' && rng.chance(0.5) ? 'not_our_customer' : 'id_number_mismatch',
      },
    };
  return { acknowledgeAfterMs, answerAfterMs, answer: { answer: 'executed' } };
}

/**
 * The banks' and operators' systems carrying out two-cards measures through the API, as docs/two-cards.md tells
 * integrators: each polls its pending instructions with its key, verifies the centre's signature (one that does
 * not verify is never acted on), acknowledges, then executes or refuses — delays at people's pace times `pace`.
 * Each answer is signed with the party's key; the same answer again changes nothing.
 */
export function startTwoCardParties(deps: {
  baseUrl: string;
  parties: readonly AnsweringParty[];
  seed: Seed;
  pace: number;
  pollMs: number;
  verify: (payload: unknown, signature: string, algorithm?: 'Ed25519' | 'SM2') => boolean;
  timers: Timers;
  stats: SimStats;
  fetch?: typeof fetch;
}): { stop(): void; inFlight(): number } {
  const sending = limiter(2);
  let isStopped = false;
  // Answers wait at people's pace, counted as open work until they have run.
  const work = pacedWork({
    timers: deps.timers,
    pace: deps.pace,
    onError: (err) => {
      if (!isStopped) countError(deps.stats, 'two_card_answer', err);
    },
  });
  const later = work.later;

  for (const party of deps.parties) {
    const client = createApiClient({
      baseUrl: deps.baseUrl,
      headers: { authorization: `Bearer ${party.apiKey}` },
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    const seen = new Set<string>();
    let isPolling = false;

    const answer = async (item: TwoCardInstructionView, body: TwoCardInstructionAnswer): Promise<boolean> => {
      const signature = party.answerKey.sign({ instructionId: item.id, answer: body });
      try {
        await sending(() =>
          withRetry(() =>
            client.POST('/api/two-cards/instructions/{id}/answer', {
              params: { path: { id: item.id }, header: { 'x-fanzha-signature': signature } },
              body,
            }),
          ),
        );
        tally(deps.stats.twoCardAnswers, `${item.action}:${body.answer}`);
        return true;
      } catch (err) {
        // A liaison at the console answered first: theirs stands.
        if (err instanceof ApiError && err.status === 409) return false;
        throw err;
      }
    };

    const plan = (item: TwoCardInstructionView) => {
      if (!deps.verify(item.instruction, item.signature, item.algorithm)) {
        countError(deps.stats, 'bad_two_card_signature');
        return;
      }
      const p = planTwoCardAnswer(deps.seed, item);
      const final = () => answer(item, p.answer);
      if (item.status === 'acknowledged') return later(p.answerAfterMs - p.acknowledgeAfterMs, final);
      later(p.acknowledgeAfterMs, async () => {
        if (await answer(item, { answer: 'acknowledged' }))
          later(p.answerAfterMs - p.acknowledgeAfterMs, final);
      });
    };

    const poll = async () => {
      if (isPolling || isStopped) return;
      isPolling = true;
      try {
        const list = await client.GET('/api/two-cards/instructions', {
          params: { query: { status: 'pending', limit: 200 } },
        });
        for (const item of list.items) {
          if (seen.has(item.id)) continue;
          seen.add(item.id);
          plan(item);
        }
      } catch (err) {
        if (!isStopped) countError(deps.stats, 'two_card_poll', err);
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

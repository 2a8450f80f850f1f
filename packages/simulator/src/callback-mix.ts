import type { CallbackAttemptRequest } from '@fanzha/contracts';
import { rngFor, type Seed } from './rng';

/**
 * How the people the centre calls back answer (回访), per callback and attempt, from the seed: most are
 * reached at the first or a later attempt and are satisfied, some never answer, a few give a wrong number or
 * refuse, and a few complain. Shares chosen so the demo's figures look like a centre's: about 85 % reached in
 * the end, a mean satisfaction a little over 4, a few complaints in a hundred.
 */
const FIRST = { reached: 0.62, no_answer: 0.26, busy: 0.07, refused: 0.02, wrong_number: 0.03 };
/** A later attempt reaches more often: people call back, or pick up once they know the number. */
const LATER = { reached: 0.7, no_answer: 0.22, busy: 0.05, refused: 0.03, wrong_number: 0 };
const SATISFACTION = [0.03, 0.04, 0.1, 0.33, 0.5]; // 1 … 5
const COMPLAINTS = [
  '返还款到账太慢，前后等了一个多月',
  '报警后一直没人告诉我案件进展',
  '银行柜台让我来回跑了好几趟',
  '劝阻电话打来时语气很冲，以为是诈骗',
];

export function planCallbackAnswer(seed: Seed, callbackId: string, attempt: number): CallbackAttemptRequest {
  const rng = rngFor(seed, 'callback', callbackId, attempt);
  const shares = attempt === 0 ? FIRST : LATER;
  const outcomes = Object.keys(shares) as Array<keyof typeof FIRST>;
  const outcome = outcomes[rng.weightedIndex(Object.values(shares))]!;
  if (outcome !== 'reached') return { outcome };
  const satisfaction = rng.weightedIndex(SATISFACTION) + 1;
  const complains = satisfaction <= 2 ? rng.chance(0.6) : rng.chance(0.01);
  return {
    outcome,
    satisfaction,
    ...(complains ? { complaint: rng.pick(COMPLAINTS) } : {}),
    note: satisfaction >= 4 ? '当事人表示感谢' : '当事人有意见，已记录',
  };
}

import { InstructionResultRequest } from '@fanzha/contracts';
import { normaliseHolderIdNumber, stopAnswerProblems, stopFailureReasons } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { accountUseOf, answerBody, answerDelayMs, planAnswer } from './bank-answer';
import { createMuleNetwork, parcelsOf, type UsedCards } from './mules';
import { rngFor } from './rng';

const MINUTE = 60_000;
const mules = createMuleNetwork(9);
const trail = (i: number) => {
  const used: UsedCards = new Map();
  const [account] = mules.distinctAccounts(rngFor(9, 'root', i), 0, 1, 1, used);
  return mules.flow({
    id: `f${i}.t0`,
    gang: 0,
    depth: 4,
    layer: 1,
    account: account!,
    amountFen: 2_000_000,
    arrivedAt: 0,
    used,
  });
};

describe('bank answers', () => {
  it('say about one mule card in twenty is a merchant’s account, the same card the same way', () => {
    const cards = Array.from({ length: 2000 }, (_, i) => mules.account(i % 16, 1 + (i % 4), i));
    const merchants = cards.filter((a) => accountUseOf(9, a) === 'merchant').length;
    expect(merchants / cards.length).toBeGreaterThan(0.03);
    expect(merchants / cards.length).toBeLessThan(0.07);
    expect(cards.every((a) => accountUseOf(9, a) === accountUseOf(9, a))).toBe(true);
  });

  it('stop no more than reached the account, and name only transfers made before the stop', () => {
    for (let i = 0; i < 80; i++)
      for (const p of parcelsOf(trail(i)))
        for (const stopAt of [p.arrivedAt + MINUTE, p.arrivedAt + 10 * MINUTE, p.arrivedAt + 120 * MINUTE]) {
          const a = planAnswer(9, p, stopAt);
          expect(a.stoppedFen).toBeLessThanOrEqual(p.amountFen);
          expect(a.stoppedFen).toBeGreaterThanOrEqual(0);
          for (const c of a.onward) expect(c.arrivedAt).toBeLessThanOrEqual(stopAt);
          const moved = a.onward.reduce((s, c) => s + c.amountFen, 0);
          expect(moved + a.stoppedFen).toBeLessThanOrEqual(p.amountFen);
          if (a.outcome === 'failed') {
            expect(a.stoppedFen).toBe(0);
            expect(stopFailureReasons).toContain(a.failureReason);
          } else expect(a.stoppedFen).toBeGreaterThan(0);
        }
  });

  it('stop in full when nothing has moved yet, in part or not at all later', () => {
    const outcomes = { full: 0, part: 0, none: 0 };
    for (let i = 0; i < 300; i++) {
      const root = trail(i);
      const early = planAnswer(9, root, root.arrivedAt);
      if (early.outcome === 'stopped') {
        expect(early.stoppedFen).toBe(root.amountFen);
        outcomes.full++;
      }
      const late = planAnswer(9, root, root.arrivedAt + 30 * MINUTE);
      if (late.outcome === 'stopped' && late.onward.length > 0) outcomes.part++;
      if (late.failureReason === 'nothing_to_stop') outcomes.none++;
    }
    expect(outcomes.full).toBeGreaterThan(250);
    expect(outcomes.part).toBeGreaterThan(30);
    expect(outcomes.none).toBeGreaterThan(30);
  });

  it('answer within a minute at human speed, later when slowed, the same for the same instruction', () => {
    const p = trail(1);
    const d = answerDelayMs(9, p, 'ICBC');
    expect(d).toBeGreaterThanOrEqual(5_000);
    expect(d).toBeLessThanOrEqual(55_000);
    expect(answerDelayMs(9, p, 'ICBC')).toBe(d);
    expect(answerDelayMs(9, p, 'ICBC', 3)).toBe(3 * d);
  });

  it('are sent in the strict shape the contract asks for, and keep its rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++)
      for (const p of parcelsOf(trail(i))) {
        const a = planAnswer(9, p, p.arrivedAt + 10 * MINUTE);
        const body = answerBody(a, (at) => 1_700_000_000_000 + at);
        // Parsing strictly refuses unknown fields and wants every required one.
        const parsed = InstructionResultRequest.parse(body);
        expect(stopAnswerProblems(parsed)).toEqual([]);
        expect(body.onwardTransfers).toHaveLength(a.onward.length);
        seen.add(body.failureReason ?? body.outcome);
        if (body.accountUse) seen.add(body.accountUse);
        // The holder's ID number whenever the bank looked at the account, valid as the server checks it.
        if (body.accountUse) {
          expect(body.holderIdNumber).toBe(p.account.holderIdNumber);
          expect(normaliseHolderIdNumber(body.holderIdNumber!, new Date()).ok).toBe(true);
          seen.add('holder');
        } else expect(body.holderIdNumber).toBeUndefined();
      }
    // Stopped, nothing to stop, and failures with a note for `other` all occur.
    expect(seen).toContain('merchant');
    expect(seen).toContain('holder');
    expect(seen).toContain('stopped');
    expect(seen).toContain('nothing_to_stop');
    expect(seen).toContain('other');
  });
});

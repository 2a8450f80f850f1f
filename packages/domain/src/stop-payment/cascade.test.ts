import { describe, expect, it } from 'vitest';
import { planCascade, planFirstLayer, type DraftAccount, type FirstLayerRequest } from './cascade';

const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};

describe('the cascade of a bank answer', () => {
  it('opens one request per new account, joins the case’s request for a known one, and one for a repeat', () => {
    const plan = planCascade(
      [
        { number: 'A', bankCode: 'CCB' },
        { number: 'K', bankCode: 'ABC' },
        { number: 'A', bankCode: 'CCB' },
        { number: 'B', bankCode: 'BOC' },
      ],
      new Map([['K', 'known-k']]),
      ids(),
    );
    expect(plan.fresh).toEqual([
      { position: 0, id: 'new-1' },
      { position: 3, id: 'new-2' },
    ]);
    expect(plan.childIds).toEqual(['new-1', 'known-k', 'new-1', 'new-2']);
  });

  it('opens nothing without onward transfers', () => {
    expect(planCascade([], new Map(), ids())).toEqual({ fresh: [], childIds: [] });
  });
});

describe('push while typing', () => {
  const account = (number: string, amountFen = 100): DraftAccount => ({
    number,
    bankCode: 'ICBC',
    name: null,
    amountFen,
    transferredAt: null,
  });
  const request = (id: string, number: string, status = 'pending', amountFen = 100): FirstLayerRequest => ({
    id,
    accountNumber: number,
    accountName: null,
    bankCode: 'ICBC',
    amountFen,
    transferredAt: null,
    status,
  });

  it('adds new accounts, corrects pending ones, withdraws removed pending ones, leaves sent ones alone', () => {
    const plan = planFirstLayer(
      [request('r1', 'A'), request('r2', 'B'), request('r3', 'C', 'sent'), request('r4', 'D', 'sent')],
      new Set(['E']),
      [account('A'), account('B', 200), account('C', 300), account('E'), account('F')],
    );
    expect(plan.added.map((a) => a.number)).toEqual(['F']);
    expect(plan.corrected).toEqual([{ id: 'r2', account: account('B', 200) }]);
    expect(plan.withdrawn).toEqual([]);
    const removed = planFirstLayer([request('r1', 'A'), request('r3', 'C', 'sent')], new Set(), []);
    expect(removed.withdrawn).toEqual(['r1']);
  });
});

import { describe, expect, it } from 'vitest';
import { decisionAmountProblem, freezeEndOf, payeeOf } from './freeze-rules';

const at = (s: string) => new Date(s);

describe('freeze rules', () => {
  const now = at('2026-12-01T02:00:00Z');

  it('a freeze ends six months on unless an earlier end is given, never in the past or beyond the limit', () => {
    expect(freezeEndOf(undefined, now, now)).toEqual({ ok: true, value: at('2027-06-01T02:00:00Z') });
    expect(freezeEndOf('2027-01-01T00:00:00Z', now, now)).toEqual({
      ok: true,
      value: at('2027-01-01T00:00:00Z'),
    });
    expect(freezeEndOf('2026-11-30T00:00:00Z', now, now)).toMatchObject({
      ok: false,
      problem: { field: 'body.endsAt', reason: 'in_past' },
    });
    expect(freezeEndOf('2027-06-02T00:00:00Z', now, now)).toMatchObject({
      ok: false,
      problem: { reason: 'too_long' },
    });
  });

  it('decisions together fit in what is frozen', () => {
    expect(decisionAmountProblem(100, 100, 0)).toBeNull();
    expect(decisionAmountProblem(101, 100, 0)?.message).toBe('at most the frozen amount (100 fen)');
    expect(decisionAmountProblem(61, 100, 40)?.message).toMatch(/60 of 100 fen/);
    expect(decisionAmountProblem(60, 100, 40)).toBeNull();
  });

  it('a release names no payee; a return names a complete one', () => {
    expect(payeeOf({ kind: 'release' })).toEqual({ ok: true, value: null });
    expect(payeeOf({ kind: 'release', payeeName: '张三' })).toMatchObject({
      ok: false,
      problem: { field: 'body.payeeName', reason: 'not_allowed' },
    });
    expect(payeeOf({ kind: 'return', payeeName: '张三' })).toMatchObject({
      ok: false,
      problem: { field: 'body.victimAccount', reason: 'required' },
    });
    expect(
      payeeOf({
        kind: 'return',
        victimAccount: '6222000000000000',
        payeeName: '张三',
        payeeBankCode: 'NOPE',
      }),
    ).toMatchObject({ ok: false, problem: { reason: 'unknown_bank' } });
    expect(
      payeeOf({
        kind: 'return',
        victimAccount: '6222000000000000',
        payeeName: '张三',
        payeeBankCode: 'ICBC',
      }),
    ).toMatchObject({ ok: true, value: { name: '张三', bankCode: 'ICBC' } });
  });
});

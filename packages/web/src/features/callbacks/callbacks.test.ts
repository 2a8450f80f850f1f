import type { CallbackSummary } from '@fanzha/contracts';
import { describe, expect, it } from 'vitest';
import { attemptBody, dueFirst, emptyAttempt } from './callbacks';

describe('the callback record form', () => {
  it('sends nothing until complete: an outcome, and a satisfaction when reached', () => {
    expect(attemptBody(emptyAttempt)).toBeNull();
    expect(attemptBody({ ...emptyAttempt, outcome: 'reached' })).toBeNull();
    expect(attemptBody({ ...emptyAttempt, outcome: 'reached', satisfaction: 4, note: ' 好 ' })).toEqual({
      outcome: 'reached',
      satisfaction: 4,
      note: '好',
    });
  });

  it('leaves a satisfaction and a complaint out of an attempt that did not reach the person', () => {
    expect(attemptBody({ outcome: 'no_answer', satisfaction: 2, complaint: '慢', note: '' })).toEqual({
      outcome: 'no_answer',
    });
    expect(attemptBody({ outcome: 'reached', satisfaction: 1, complaint: ' 太慢 ', note: '' })).toEqual({
      outcome: 'reached',
      satisfaction: 1,
      complaint: '太慢',
    });
  });

  it('puts due callbacks first', () => {
    const item = (id: string, isDue: boolean, dueAt: string) => ({ id, isDue, dueAt }) as CallbackSummary;
    expect(
      dueFirst([
        item('a', false, '2026-12-01T00:00:00Z'),
        item('b', true, '2026-12-02T00:00:00Z'),
        item('c', true, '2026-11-30T00:00:00Z'),
      ]).map((i) => i.id),
    ).toEqual(['c', 'b', 'a']);
  });
});

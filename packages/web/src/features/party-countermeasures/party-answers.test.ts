import { countermeasureStatuses, twoCardInstructionStatuses } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { countermeasureAnswersFor, twoCardAnswersFor } from './party-answers';

describe('the answers a party is offered', () => {
  it('for a countermeasure: acknowledge only while requested, lifted only when a lift is asked', () => {
    expect(
      Object.fromEntries(countermeasureStatuses.map((s) => [s, countermeasureAnswersFor({ status: s })])),
    ).toEqual({
      requested: ['acknowledged', 'executed', 'refused'],
      acknowledged: ['executed', 'refused'],
      executed: [],
      refused: [],
      lift_requested: ['lifted'],
      lifted: [],
    });
  });

  it('for a two-cards instruction: acknowledge only while sent, never the status it already has', () => {
    expect(
      Object.fromEntries(twoCardInstructionStatuses.map((s) => [s, twoCardAnswersFor({ status: s })])),
    ).toEqual({
      sent: ['acknowledged', 'executed', 'refused'],
      acknowledged: ['executed', 'refused'],
      executed: [],
      refused: [],
      withdrawn: [],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { measureFailureReasons } from './bank-instruction';
import { holdConfirmationProblems } from './answer-rules';

/** As the integration guide lists them for a protective hold. */
const holdFailureReasons = [
  'no_such_customer',
  'no_such_account',
  'account_closed',
  'already_restricted',
  'other',
];

describe('a protective hold answered failed', () => {
  it('takes the reasons the integration guide lists for a hold, and no other', () => {
    for (const failureReason of holdFailureReasons)
      expect(
        holdConfirmationProblems('protective_hold', { outcome: 'failed', failureReason, note: 'n' }),
      ).toEqual([]);
    const caseOnly = measureFailureReasons.filter((r) => !holdFailureReasons.includes(r));
    expect(caseOnly).toEqual(['insufficient_funds', 'payee_rejected', 'not_frozen_here']);
    for (const failureReason of caseOnly)
      expect(holdConfirmationProblems('protective_hold', { outcome: 'failed', failureReason })).toEqual([
        expect.objectContaining({ field: 'failureReason', reason: 'not_allowed' }),
      ]);
  });

  it('still needs a note with other', () => {
    expect(
      holdConfirmationProblems('protective_hold', { outcome: 'failed', failureReason: 'other' }),
    ).toEqual([expect.objectContaining({ field: 'note', reason: 'required' })]);
  });
});

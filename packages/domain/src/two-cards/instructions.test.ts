import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isAwaitingTwoCardParty,
  isWithdrawnByLift,
  nextTwoCardInstructionStatus,
  twoCardInstructionAnswers,
  twoCardInstructionStatuses,
  twoCardPartyKindOf,
  type TwoCardInstructionStatus,
} from './instructions';

describe('two-cards instruction lifecycle', () => {
  it('goes from sent to executed or refused, and takes the same answer again as a retry', () => {
    expect(nextTwoCardInstructionStatus('sent', 'acknowledged')).toBe('acknowledged');
    expect(nextTwoCardInstructionStatus('acknowledged', 'executed')).toBe('executed');
    expect(nextTwoCardInstructionStatus('sent', 'refused')).toBe('refused');
    expect(nextTwoCardInstructionStatus('executed', 'executed')).toBe('same');
    expect(nextTwoCardInstructionStatus('executed', 'refused')).toBeUndefined();
  });

  it('never leaves a final status, and only moves forward', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...twoCardInstructionStatuses),
        fc.array(fc.constantFrom(...twoCardInstructionAnswers), { maxLength: 12 }),
        (start, answers) => {
          let s: TwoCardInstructionStatus = start;
          for (const a of answers) {
            const next = nextTwoCardInstructionStatus(s, a);
            if (next === undefined || next === 'same') continue;
            expect(isAwaitingTwoCardParty(s)).toBe(true);
            expect(twoCardInstructionStatuses.indexOf(next)).toBeGreaterThan(
              twoCardInstructionStatuses.indexOf(s),
            );
            s = next;
          }
        },
      ),
    );
  });

  it('is withdrawn by the lift only as an apply not yet executed or refused, and then takes no answer', () => {
    const withdrawn = twoCardInstructionStatuses.filter((status) =>
      isWithdrawnByLift({ action: 'apply', status }),
    );
    expect(withdrawn).toEqual(['sent', 'acknowledged']);
    for (const status of twoCardInstructionStatuses)
      expect(isWithdrawnByLift({ action: 'lift', status })).toBe(false);
    for (const a of twoCardInstructionAnswers)
      expect(nextTwoCardInstructionStatus('withdrawn', a)).toBeUndefined();
    expect(isAwaitingTwoCardParty('withdrawn')).toBe(false);
  });

  it('sends account measures to banks and the phone-card limit to operators', () => {
    expect(twoCardPartyKindOf).toEqual({
      no_non_counter_services: 'bank',
      no_new_accounts: 'bank',
      limit_new_phone_cards: 'operator',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyFollowUp,
  followUpChecks,
  followUpShares,
  strongestChannel,
  type FollowUpState,
} from './follow-up';

const DAY = 86_400_000;
const opened = new Date('2026-05-01T08:00:00Z');
const closed = new Date('2026-05-01T09:00:00Z');
const state = (over: Partial<FollowUpState> = {}): FollowUpState => ({
  openedAt: opened,
  ...followUpChecks(closed),
  defrauded7: null,
  defrauded30: null,
  ...over,
});
const after = (days: number) => new Date(closed.getTime() + days * DAY);

describe('follow-up of a closed episode', () => {
  it('falls due 7 and 30 days after the close', () => {
    expect(followUpChecks(closed)).toEqual({ check7At: after(7), check30At: after(30) });
  });

  it('counts a report 5 days later at both checks, 10 days later only at 30, one before the warning never', () => {
    const day5 = [after(5)];
    expect(applyFollowUp(state(), after(7), day5)).toEqual({
      defrauded7: true,
      defrauded30: null,
      nextCheckAt: after(30),
    });
    expect(applyFollowUp(state({ defrauded7: true }), after(30), day5)).toEqual({
      defrauded7: true,
      defrauded30: true,
      nextCheckAt: null,
    });
    const day10 = [after(10)];
    expect(applyFollowUp(state(), after(7), day10).defrauded7).toBe(false);
    expect(applyFollowUp(state({ defrauded7: false }), after(30), day10).defrauded30).toBe(true);
    const before = [new Date(opened.getTime() - 1)];
    expect(applyFollowUp(state(), after(31), before)).toEqual({
      defrauded7: false,
      defrauded30: false,
      nextCheckAt: null,
    });
    expect(applyFollowUp(state(), after(31), [after(31)]).defrauded30).toBe(false);
  });

  it('a late sweep records each check by its own window; a check done is never redone', () => {
    expect(applyFollowUp(state(), after(40), [after(10)])).toEqual({
      defrauded7: false,
      defrauded30: true,
      nextCheckAt: null,
    });
    expect(applyFollowUp(state({ defrauded7: false }), after(8), [after(1)])).toEqual({
      defrauded7: false,
      defrauded30: null,
      nextCheckAt: after(30),
    });
    expect(applyFollowUp(state(), after(6), [after(1)])).toEqual({
      defrauded7: null,
      defrauded30: null,
      nextCheckAt: after(7),
    });
  });

  it('counts an episode under the strongest channel that reached it', () => {
    expect(strongestChannel(['sms', 'visit', 'robot_call'])).toBe('visit');
    expect(strongestChannel(['sms'])).toBe('sms');
    expect(strongestChannel([])).toBeNull();
    expect(strongestChannel(['pigeon'])).toBeNull();
  });

  it('gives shares of the checked and a source’s precision', () => {
    expect(
      followUpShares({ closed: 4, notFraud: 1, checked7: 3, defrauded7: 1, checked30: 0, defrauded30: 0 }),
    ).toEqual({ defrauded7Share: 0.333, defrauded30Share: null, precision: 0.75 });
    expect(
      followUpShares({ closed: 0, notFraud: 0, checked7: 0, defrauded7: 0, checked30: 0, defrauded30: 0 }),
    ).toEqual({ defrauded7Share: null, defrauded30Share: null, precision: null });
  });
});

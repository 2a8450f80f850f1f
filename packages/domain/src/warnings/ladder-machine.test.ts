import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../platform/clock';
import {
  applyLadderCommand,
  raiseLadderGrade,
  startLadder,
  tickLadder,
  type LadderCommand,
  type LadderResult,
  type LadderState,
} from './ladder-machine';
import { ladderSteps, ladderTransitions, MAX_HOLD_HOURS, persuasionOutcomes } from './persuasion-ladder';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Drives one episode's ladder on a fake clock, firing timers as the service's scheduler would. */
function ladder(grade: 'high' | 'medium' | 'low' = 'high') {
  const clock = new TestClock('2026-06-01T02:00:00Z');
  let r: LadderResult = startLadder(grade, clock.now());
  const actions = [...r.actions];
  return {
    clock,
    get state(): LadderState {
      return r.state;
    },
    actions,
    wait(ms: number) {
      clock.advance(ms);
      r = tickLadder(r.state, clock.now());
      actions.push(...r.actions);
    },
    do(command: LadderCommand) {
      const out = applyLadderCommand(r.state, command, clock.now());
      if (!out.ok) return out.reason;
      r = out.value;
      actions.push(...r.actions);
      return 'ok';
    },
    outcome(outcome: (typeof persuasionOutcomes)[number]) {
      return this.do({ type: 'outcome', outcome, by: 'officer-1' });
    },
  };
}

describe('persuasion ladder', () => {
  it('climbs from SMS to robot call to human call as each SLA passes unanswered (高)', () => {
    const l = ladder('high');
    expect(l.state.step).toBe('sms');
    l.wait(1 * MIN);
    expect(l.state.step).toBe('robot_call');
    l.wait(3 * MIN);
    expect(l.state.step).toBe('human_call');
    expect(l.actions).toEqual(['send_sms', 'place_robot_call', 'assign_human_call']);
  });

  it('makes the first call within 5 minutes for 高', () => {
    const l = ladder('high');
    l.wait(5 * MIN);
    expect(l.actions).toContain('place_robot_call');
    expect(
      l.state.history.find((h) => h.step === 'robot_call')!.at.getTime() - l.state.openedAt.getTime(),
    ).toBeLessThanOrEqual(5 * MIN);
  });

  it('sends a visit when a 高 person is still unreached after 30 minutes', () => {
    const l = ladder('high');
    l.wait(29 * MIN);
    expect(l.state.step).not.toBe('visit');
    l.wait(1 * MIN);
    expect(l.state.step).toBe('visit');
    expect(l.state.history.find((h) => h.step === 'visit')!.event).toBe('reach_deadline');
  });

  it('fires timers at their own times after a long gap, as if the clock had ticked each minute', () => {
    const a = ladder('medium');
    a.wait(10 * HOUR);
    const b = ladder('medium');
    for (let i = 0; i < 600; i++) b.wait(MIN);
    expect(a.state.history).toEqual(b.state.history);
  });

  it('jumps to carrier assist and sends a visit at once when the line is busy', () => {
    const l = ladder('high');
    l.wait(1 * MIN);
    expect(l.outcome('line_busy')).toBe('ok');
    expect(l.state.step).toBe('carrier_assist');
    expect(l.actions.slice(-2)).toEqual(['ask_carrier', 'issue_visit']);
    l.wait(10 * MIN);
    expect(l.state.step).toBe('visit');
    expect(l.actions.filter((a) => a === 'issue_visit')).toHaveLength(1);
  });

  it('closes on persuaded, already paid (with an intake draft), not fraud and duplicate', () => {
    for (const outcome of ['persuaded', 'already_paid', 'not_fraud', 'duplicate'] as const) {
      const l = ladder('medium');
      l.wait(10 * MIN);
      expect(l.outcome(outcome)).toBe('ok');
      expect(l.state).toMatchObject({ step: 'closed', closeReason: outcome, dueAt: null });
    }
    const paid = ladder();
    paid.outcome('already_paid');
    expect(paid.actions.slice(-2)).toEqual(['close_episode', 'open_intake_draft']);
  });

  it('escalates a refusal to the next kind of contact, and stops the reach deadline once reached', () => {
    const l = ladder('high');
    l.wait(1 * MIN);
    l.outcome('refuses');
    expect(l.state.step).toBe('human_call');
    expect(l.state.reachBy).toBeNull();
    l.outcome('refuses');
    expect(l.state.step).toBe('trusted_contact');
  });

  it('holds only with a second person’s approval, for at most 72 hours, and lets the hold lapse by itself', () => {
    const l = ladder('high');
    l.wait(30 * MIN);
    expect(l.state.step).toBe('visit');
    expect(l.do({ type: 'request_hold', by: 'officer-1', reason: '拒不配合，正在转账', hours: 73 })).toBe(
      'ladder.hold_hours',
    );
    expect(l.do({ type: 'request_hold', by: 'officer-1', reason: ' ', hours: 72 })).toBe(
      'ladder.hold_reason',
    );
    expect(l.do({ type: 'request_hold', by: 'officer-1', reason: '拒不配合，正在转账', hours: 72 })).toBe(
      'ok',
    );
    expect(l.do({ type: 'approve_hold', by: 'officer-1' })).toBe('ladder.same_approver');
    expect(l.do({ type: 'approve_hold', by: 'supervisor-1' })).toBe('ok');
    expect(l.state.step).toBe('hold');
    expect(l.actions.at(-1)).toBe('send_hold_to_bank');
    l.wait(72 * HOUR - 1);
    expect(l.state.step).toBe('hold');
    l.wait(1);
    expect(l.state).toMatchObject({ step: 'closed', closeReason: 'hold_lapsed' });
    expect(l.actions.at(-1)).toBe('close_episode');
  });

  it('lifts a hold early on release', () => {
    const l = ladder('high');
    l.wait(30 * MIN);
    l.do({ type: 'request_hold', by: 'officer-1', reason: '正在转账', hours: 24 });
    l.do({ type: 'approve_hold', by: 'supervisor-1' });
    l.wait(HOUR);
    expect(l.do({ type: 'release_hold', by: 'supervisor-1' })).toBe('ok');
    expect(l.state.closeReason).toBe('hold_released');
    expect(l.actions.slice(-2)).toEqual(['lift_hold', 'close_episode']);
  });

  it('marks a visit overdue once its SLA passes, without moving on', () => {
    const l = ladder('high');
    l.wait(30 * MIN);
    l.wait(2 * HOUR);
    expect(l.state).toMatchObject({ step: 'visit', isOverdue: true, dueAt: null });
  });

  it('tightens the timers when a later signal raises the grade', () => {
    const l = ladder('low');
    l.wait(5 * MIN);
    const raised = raiseLadderGrade(l.state, 'high');
    expect(raised.dueAt!.getTime() - raised.enteredAt.getTime()).toBe(1 * MIN);
    // At 5 minutes a 高 ladder has passed the SMS (1 min) and the robot call (3 min more).
    expect(tickLadder(raised, l.clock.now()).state.step).toBe('human_call');
    expect(raiseLadderGrade(raised, 'low')).toBe(raised);
  });

  it('refuses commands a step does not allow, and changes nothing', () => {
    const l = ladder();
    const before = l.state;
    expect(l.do({ type: 'approve_hold', by: 'x' })).toBe('ladder.not_allowed');
    expect(l.do({ type: 'release_hold', by: 'x' })).toBe('ladder.not_allowed');
    expect(l.state).toBe(before);
    l.outcome('persuaded');
    expect(l.outcome('refuses')).toBe('ladder.not_allowed');
  });

  it('leaves no step without a way to close', () => {
    for (const step of ladderSteps) {
      if (step === 'closed') continue;
      expect(Object.values(ladderTransitions[step])).toContain('closed');
    }
  });

  it('never leaves an episode in an undefined state or a hold past 72 hours, whatever happens', () => {
    const command = fc.oneof(
      fc.record({
        type: fc.constant('outcome' as const),
        outcome: fc.constantFrom(...persuasionOutcomes),
        by: fc.constant('a'),
      }),
      fc.record({
        type: fc.constant('request_hold' as const),
        by: fc.constantFrom('a', 'b'),
        reason: fc.constant('r'),
        hours: fc.integer({ min: 0, max: 100 }),
      }),
      fc.record({
        type: fc.constantFrom('approve_hold' as const, 'reject_hold' as const, 'release_hold' as const),
        by: fc.constantFrom('a', 'b'),
      }),
    );
    const step = fc.oneof(
      command.map((c) => ({ command: c })),
      fc.integer({ min: 0, max: 80 * HOUR }).map((ms) => ({ wait: ms })),
      fc.constantFrom('high', 'medium', 'low').map((g) => ({ raise: g })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('high', 'medium', 'low'),
        fc.array(step, { maxLength: 40 }),
        (grade, steps) => {
          const l = ladder(grade);
          let s = l.state;
          let now = l.clock.now();
          for (const st of steps) {
            if ('wait' in st) {
              now = new Date(now.getTime() + st.wait);
              s = tickLadder(s, now).state;
            } else if ('raise' in st) {
              s = tickLadder(raiseLadderGrade(s, st.raise), now).state;
            } else {
              const r = applyLadderCommand(s, st.command, now);
              if (r.ok) s = r.value.state;
            }
            expect(ladderSteps).toContain(s.step);
            expect(s.step === 'closed').toBe(s.closeReason !== null);
            if (s.step === 'hold') {
              expect(s.hold?.approvedBy).not.toBe(s.hold?.requestedBy);
              expect(s.hold!.endsAt!.getTime() - s.hold!.startsAt!.getTime()).toBeLessThanOrEqual(
                MAX_HOLD_HOURS * HOUR,
              );
              expect(now.getTime()).toBeLessThan(s.hold!.endsAt!.getTime());
            }
            // Every open step other than a hold or an overdue visit has a timer running.
            if (s.step !== 'closed' && s.step !== 'hold' && !s.isOverdue) expect(s.dueAt).not.toBeNull();
            if (s.dueAt) expect(s.dueAt.getTime()).toBeGreaterThan(now.getTime());
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('carrier assist: the operator answers', () => {
  /** A 高 episode on a busy line: carrier assist (and a visit) at once. */
  function onBusyLine() {
    const l = ladder('high');
    expect(l.outcome('line_busy')).toBe('ok');
    expect(l.state.step).toBe('carrier_assist');
    return l;
  }
  const answer = (
    l: ReturnType<typeof ladder>,
    a: 'interrupted' | 'forwarding_cleared' | 'refused' | 'not_our_subscriber',
  ) => l.do({ type: 'carrier_answer', answer: a, by: 'operator:china_mobile' });

  it('a line interrupted or a forwarding cleared sends a persuader to call at once, with a fresh SLA', () => {
    for (const a of ['interrupted', 'forwarding_cleared'] as const) {
      const l = onBusyLine();
      l.wait(2 * MIN);
      expect(answer(l, a)).toBe('ok');
      expect(l.state.step).toBe('human_call');
      expect(l.state.enteredAt).toEqual(l.clock.now());
      expect(l.state.dueAt).toEqual(new Date(l.clock.now().getTime() + 10 * MIN));
      expect(l.actions.at(-1)).toBe('assign_human_call');
      expect(l.state.history.at(-1)?.event).toBe(
        a === 'interrupted' ? 'carrier_interrupted' : 'carrier_forwarding_cleared',
      );
      // Interrupting the line is not reaching the person: the reach deadline still runs.
      expect(l.state.isReached).toBe(false);
      expect(l.state.reachBy).not.toBeNull();
    }
  });

  it('a refusal or another operator’s number moves to the visit, without sending a second one', () => {
    for (const a of ['refused', 'not_our_subscriber'] as const) {
      const l = onBusyLine();
      const visits = l.actions.filter((x) => x === 'issue_visit').length;
      expect(answer(l, a)).toBe('ok');
      expect(l.state.step).toBe('visit');
      expect(l.actions.filter((x) => x === 'issue_visit').length).toBe(visits);
    }
    // Reached by the SLA (no visit out yet), a refusal issues the visit.
    const l = ladder('high');
    l.wait((1 + 3 + 10 + 10) * MIN);
    expect(l.state.step).toBe('carrier_assist');
    expect(answer(l, 'refused')).toBe('ok');
    expect(l.state.step).toBe('visit');
    expect(l.actions.at(-1)).toBe('issue_visit');
  });

  it('an answer after the step moved on is not the ladder’s business', () => {
    const l = onBusyLine();
    l.wait(10 * MIN);
    expect(l.state.step).toBe('visit');
    const before = l.state;
    expect(answer(l, 'interrupted')).toBe('ladder.not_allowed');
    expect(l.state).toBe(before);
    // Nor before the step: an SMS step takes no carrier answer.
    expect(answer(ladder('high'), 'interrupted')).toBe('ladder.not_allowed');
  });
});

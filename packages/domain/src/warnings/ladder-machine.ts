import { invalid, valid, type Validation } from '../validators/result';
import { gradeRank, type WarningGrade } from './grading';
import {
  isBeforeVisit,
  ladderEntryActions,
  ladderTransitions,
  MAX_HOLD_HOURS,
  reachDeadlineMs,
  reachedOutcomes,
  slaMs,
  carrierAnswerEvents,
  type CarrierAnswer,
  type LadderAction,
  type LadderEvent,
  type LadderStep,
  type PersuasionOutcome,
} from './persuasion-ladder';

export type LadderCloseReason = PersuasionOutcome | 'hold_released' | 'hold_lapsed';

export interface ProtectiveHold {
  readonly requestedBy: string;
  readonly reason: string;
  readonly hours: number;
  /** The person's bank the hold is sent to (absent in holds requested before holds reached banks). */
  readonly bankCode?: string | null;
  /** The account to hold, when the officer names one; otherwise the bank holds the person's transfers. */
  readonly account?: string | null;
  readonly approvedBy: string | null;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
}

export interface LadderState {
  readonly grade: WarningGrade;
  readonly step: LadderStep;
  readonly openedAt: Date;
  readonly enteredAt: Date;
  /** When the step's SLA runs out; null in a hold (its end is the hold's), once closed, or once overdue. */
  readonly dueAt: Date | null;
  /** When an unreached person gets a visit; null when reached or the grade has no such deadline. */
  readonly reachBy: Date | null;
  readonly isReached: boolean;
  readonly isVisitIssued: boolean;
  /** The visit's SLA passed: the episode is escalated for supervision (督办). */
  readonly isOverdue: boolean;
  readonly hold: ProtectiveHold | null;
  readonly closeReason: LadderCloseReason | null;
  readonly history: readonly {
    readonly at: Date;
    readonly event: LadderEvent | 'open';
    readonly step: LadderStep;
  }[];
}

export interface LadderResult {
  readonly state: LadderState;
  /** What the centre must now do, in order. */
  readonly actions: readonly LadderAction[];
}

export type LadderCommand =
  | { readonly type: 'outcome'; readonly outcome: PersuasionOutcome; readonly by: string }
  | {
      readonly type: 'request_hold';
      readonly by: string;
      readonly reason: string;
      readonly hours: number;
      readonly bankCode?: string | null;
      readonly account?: string | null;
    }
  | { readonly type: 'approve_hold'; readonly by: string }
  | { readonly type: 'reject_hold'; readonly by: string }
  | { readonly type: 'release_hold'; readonly by: string }
  /** The person's operator answered the carrier assist request. */
  | { readonly type: 'carrier_answer'; readonly answer: CarrierAnswer; readonly by: string };

export type LadderReason =
  'ladder.not_allowed' | 'ladder.same_approver' | 'ladder.hold_hours' | 'ladder.hold_reason';

export const ladderReasonMessagesZh: Record<LadderReason, string> = {
  'ladder.not_allowed': '当前劝阻环节不允许此操作',
  'ladder.same_approver': '保护性止付须由申请人以外的另一人审批',
  'ladder.hold_hours': '保护性止付时长应为1至72小时',
  'ladder.hold_reason': '请填写保护性止付的理由',
};

const at0 = (d: Date, ms: number | null) => (ms === null ? null : new Date(d.getTime() + ms));

/** A new episode's ladder, starting with the SMS. */
export function startLadder(grade: WarningGrade, at: Date): LadderResult {
  return {
    state: {
      grade,
      step: 'sms',
      openedAt: at,
      enteredAt: at,
      dueAt: at0(at, slaMs(grade, 'sms')),
      reachBy: at0(at, reachDeadlineMs(grade)),
      isReached: false,
      isVisitIssued: false,
      isOverdue: false,
      hold: null,
      closeReason: null,
      history: [{ at, event: 'open', step: 'sms' }],
    },
    actions: [ladderEntryActions.sms],
  };
}

// Moves along the table. Staying on the same step keeps its timers, so repeating an outcome never
// buys time; entering a step starts its SLA and emits its action (a visit is issued only once).
function move(
  s: LadderState,
  event: LadderEvent,
  at: Date,
  patch: Partial<LadderState> = {},
): LadderResult | undefined {
  const to = ladderTransitions[s.step][event];
  if (to === undefined) return undefined;
  const history = [...s.history, { at, event, step: to }];
  if (to === s.step) {
    const dueAt = event === 'sla_expired' ? null : s.dueAt;
    return {
      state: { ...s, ...patch, dueAt, isOverdue: s.isOverdue || event === 'sla_expired', history },
      actions: [],
    };
  }
  const actions: LadderAction[] = [];
  let isVisitIssued = s.isVisitIssued;
  // A visit that went out already (with a carrier assist after line_busy) is not sent a second time.
  if (to !== 'visit' || !isVisitIssued) actions.push(ladderEntryActions[to]);
  if (to === 'visit') isVisitIssued = true;
  if (event === 'line_busy' && to === 'carrier_assist' && !isVisitIssued) {
    actions.push('issue_visit');
    isVisitIssued = true;
  }
  if (s.step === 'hold' && to === 'closed' && event !== 'hold_lapsed') actions.unshift('lift_hold');
  if (event === 'already_paid') actions.push('open_intake_draft');
  const closing = to === 'closed';
  return {
    state: {
      ...s,
      ...patch,
      step: to,
      enteredAt: at,
      dueAt: closing ? null : at0(at, slaMs(s.grade, to)),
      isVisitIssued,
      isOverdue: false,
      closeReason: closing ? closeReasonFor(event) : null,
      history,
    },
    actions,
  };
}

function closeReasonFor(event: LadderEvent): LadderCloseReason {
  if (event === 'release_hold') return 'hold_released';
  if (event === 'hold_lapsed') return 'hold_lapsed';
  return event as PersuasionOutcome;
}

const notAllowed = (s: LadderState, what: string) =>
  invalid('ladder.not_allowed', `${what} is not allowed at the ${s.step} step.`);

/** Applies a person's command at `at`; timers are fired by `tickLadder`, which callers run first. */
export function applyLadderCommand(
  s: LadderState,
  command: LadderCommand,
  at: Date,
): Validation<LadderResult> {
  let result: LadderResult | undefined;
  switch (command.type) {
    case 'outcome': {
      const isReached = s.isReached || reachedOutcomes.has(command.outcome);
      result = move(s, command.outcome, at, { isReached, reachBy: isReached ? null : s.reachBy });
      break;
    }
    case 'request_hold': {
      if (!Number.isInteger(command.hours) || command.hours < 1 || command.hours > MAX_HOLD_HOURS) {
        return invalid(
          'ladder.hold_hours',
          `A protective hold lasts 1 to ${MAX_HOLD_HOURS} whole hours, not ${command.hours}.`,
        );
      }
      if (command.reason.trim() === '')
        return invalid('ladder.hold_reason', 'A protective hold needs a reason.');
      const hold = {
        requestedBy: command.by,
        reason: command.reason.trim(),
        hours: command.hours,
        bankCode: command.bankCode ?? null,
        account: command.account ?? null,
        approvedBy: null,
        startsAt: null,
        endsAt: null,
      };
      result = move(s, 'request_hold', at, { hold });
      break;
    }
    case 'approve_hold': {
      if (s.step !== 'hold_pending' || !s.hold) return notAllowed(s, 'Approving a hold');
      if (command.by === s.hold.requestedBy) {
        return invalid(
          'ladder.same_approver',
          'The person who requested a protective hold cannot approve it.',
        );
      }
      const endsAt = new Date(at.getTime() + s.hold.hours * 3_600_000);
      result = move(s, 'approve_hold', at, {
        hold: { ...s.hold, approvedBy: command.by, startsAt: at, endsAt },
      });
      break;
    }
    case 'reject_hold':
      result = move(s, 'reject_hold', at, { hold: null });
      break;
    case 'release_hold':
      result = move(s, 'release_hold', at);
      break;
    case 'carrier_answer':
      result = move(s, carrierAnswerEvents[command.answer], at);
      break;
  }
  return result ? valid(result) : notAllowed(s, commandName(command));
}

function commandName(command: LadderCommand): string {
  if (command.type === 'outcome') return `The outcome ${command.outcome}`;
  if (command.type === 'carrier_answer') return `The carrier's answer ${command.answer}`;
  return command.type;
}

/** Raises the grade (never lowers it): the current step's SLA and the reach deadline tighten. */
export function raiseLadderGrade(s: LadderState, grade: WarningGrade): LadderState {
  if (gradeRank(grade) <= gradeRank(s.grade) || s.step === 'closed') return s;
  const earlier = (a: Date | null, b: Date | null) => (a === null ? b : b === null ? a : a < b ? a : b);
  const sla = s.dueAt === null ? null : at0(s.enteredAt, slaMs(grade, s.step));
  const reach = s.isReached ? null : at0(s.openedAt, reachDeadlineMs(grade));
  return { ...s, grade, dueAt: earlier(s.dueAt, sla), reachBy: earlier(s.reachBy, reach) };
}

// The earliest timer due by `now`: a hold's end, the reach deadline, or the step's SLA.
function dueTimer(s: LadderState, now: Date): { event: LadderEvent; at: Date } | undefined {
  const timers: { event: LadderEvent; at: Date }[] = [];
  if (s.step === 'hold' && s.hold?.endsAt) timers.push({ event: 'hold_lapsed', at: s.hold.endsAt });
  if (s.reachBy && !s.isReached && isBeforeVisit(s.step))
    timers.push({ event: 'reach_deadline', at: s.reachBy });
  if (s.dueAt) timers.push({ event: 'sla_expired', at: s.dueAt });
  const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at.getTime() - b.at.getTime());
  return due[0];
}

/**
 * Fires every timer due by `now`, each at its own time, so a ladder left alone for an hour has
 * climbed exactly as far as it would have minute by minute.
 */
export function tickLadder(s: LadderState, now: Date): LadderResult {
  let state = s;
  const actions: LadderAction[] = [];
  for (let timer = dueTimer(state, now); timer; timer = dueTimer(state, now)) {
    const r = move(state, timer.event, timer.at, timer.event === 'reach_deadline' ? { reachBy: null } : {});
    if (!r) break;
    state = r.state;
    actions.push(...r.actions);
  }
  return { state, actions };
}

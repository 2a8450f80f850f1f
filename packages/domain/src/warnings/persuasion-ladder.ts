import type { WarningGrade } from './grading';

/**
 * The persuasion ladder (劝阻阶梯) as tables: the steps, what each event leads to, what the centre
 * does on entering a step, and each step's SLA by grade. `ladder-machine.ts` applies them.
 *
 *   sms → robot_call → human_call → trusted_contact → carrier_assist → visit → hold_pending → hold → closed
 *
 * Each contact step ends with an outcome or when its SLA runs out (no answer in time counts as
 * unreachable). `line_busy` — the person is probably on the phone with the fraudster now — goes
 * straight to carrier assist and sends a visit at the same time. An episode not reached by its
 * grade's deadline (高: 30 minutes) goes to a visit. A protective hold needs a second person's
 * approval, lasts at most 72 hours and lapses by itself.
 */
export const ladderSteps = [
  'sms',
  'robot_call',
  'human_call',
  'trusted_contact',
  'carrier_assist',
  'visit',
  'hold_pending',
  'hold',
  'closed',
] as const;
export type LadderStep = (typeof ladderSteps)[number];

export const ladderStepNamesZh: Record<LadderStep, string> = {
  sms: '短信提醒',
  robot_call: '机器人外呼',
  human_call: '人工劝阻电话',
  trusted_contact: '联系亲友',
  carrier_assist: '运营商协助',
  visit: '上门劝阻',
  hold_pending: '保护性止付待审批',
  hold: '保护性止付',
  closed: '已结束',
};

/** What a contact ended with. */
export const persuasionOutcomes = [
  'persuaded',
  'already_paid',
  'refuses',
  'unreachable',
  'line_busy',
  'not_fraud',
  'duplicate',
] as const;
export type PersuasionOutcome = (typeof persuasionOutcomes)[number];

export const persuasionOutcomeNamesZh: Record<PersuasionOutcome, string> = {
  persuaded: '劝阻成功',
  already_paid: '已被骗转账',
  refuses: '拒绝或否认',
  unreachable: '无法联系',
  line_busy: '占线（疑似正与骗子通话）',
  not_fraud: '非诈骗',
  duplicate: '重复预警',
};

/** Outcomes that show the person was reached, which stops the reach deadline. */
export const reachedOutcomes: ReadonlySet<PersuasionOutcome> = new Set([
  'persuaded',
  'already_paid',
  'refuses',
  'not_fraud',
]);

/**
 * What the person's operator answers to a carrier assist (运营商协助): the line interrupted (断开通话), the
 * call forwarding cleared (取消呼叫转移), refused (with a reason), or the number is not theirs (携号转网 or a
 * wrong segment).
 */
export const carrierAnswers = ['interrupted', 'forwarding_cleared', 'refused', 'not_our_subscriber'] as const;
export type CarrierAnswer = (typeof carrierAnswers)[number];

export const carrierAnswerNamesZh: Record<CarrierAnswer, string> = {
  interrupted: '已断开通话',
  forwarding_cleared: '已取消呼叫转移',
  refused: '拒绝协助',
  not_our_subscriber: '非本网用户',
};

/** The ladder's event for each carrier answer. */
export const carrierAnswerEvents = {
  interrupted: 'carrier_interrupted',
  forwarding_cleared: 'carrier_forwarding_cleared',
  refused: 'carrier_refused',
  not_our_subscriber: 'carrier_not_subscriber',
} as const satisfies Record<CarrierAnswer, string>;
export type CarrierEvent = (typeof carrierAnswerEvents)[CarrierAnswer];

/** Timers fire `sla_expired`, `reach_deadline` and `hold_lapsed`; operators the carrier events; people the others. */
export type LadderEvent =
  | PersuasionOutcome
  | CarrierEvent
  | 'sla_expired'
  | 'reach_deadline'
  | 'request_hold'
  | 'approve_hold'
  | 'reject_hold'
  | 'release_hold'
  | 'hold_lapsed';

const closes = {
  persuaded: 'closed',
  already_paid: 'closed',
  not_fraud: 'closed',
  duplicate: 'closed',
} as const;

/** The ladder. An event missing from a step's row is not allowed there. */
export const ladderTransitions: Record<LadderStep, Partial<Record<LadderEvent, LadderStep>>> = {
  sms: {
    ...closes,
    refuses: 'human_call',
    unreachable: 'robot_call',
    line_busy: 'carrier_assist',
    sla_expired: 'robot_call',
    reach_deadline: 'visit',
  },
  robot_call: {
    ...closes,
    refuses: 'human_call',
    unreachable: 'human_call',
    line_busy: 'carrier_assist',
    sla_expired: 'human_call',
    reach_deadline: 'visit',
  },
  human_call: {
    ...closes,
    refuses: 'trusted_contact',
    unreachable: 'trusted_contact',
    line_busy: 'carrier_assist',
    sla_expired: 'trusted_contact',
    reach_deadline: 'visit',
  },
  trusted_contact: {
    ...closes,
    refuses: 'visit',
    unreachable: 'carrier_assist',
    line_busy: 'carrier_assist',
    sla_expired: 'carrier_assist',
    reach_deadline: 'visit',
  },
  // The operator's answer ends the carrier step. A line interrupted or a forwarding cleared frees the person
  // from the fraudster's call: a persuader calls at once (a fresh human call, with its SLA). An operator
  // that refuses or does not serve the number cannot help: the visit goes out, as when the SLA runs out.
  // An answer that comes after the step has moved on is kept on the request and changes nothing here.
  carrier_assist: {
    ...closes,
    refuses: 'visit',
    unreachable: 'visit',
    line_busy: 'carrier_assist',
    sla_expired: 'visit',
    reach_deadline: 'visit',
    request_hold: 'hold_pending',
    carrier_interrupted: 'human_call',
    carrier_forwarding_cleared: 'human_call',
    carrier_refused: 'visit',
    carrier_not_subscriber: 'visit',
  },
  // The visit is the last contact: it stays open (overdue once its SLA passes, for supervision)
  // until the person is persuaded, a hold is requested, or the episode is closed otherwise.
  visit: {
    ...closes,
    refuses: 'visit',
    unreachable: 'visit',
    line_busy: 'visit',
    sla_expired: 'visit',
    request_hold: 'hold_pending',
  },
  hold_pending: { ...closes, approve_hold: 'hold', reject_hold: 'visit', sla_expired: 'visit' },
  hold: { ...closes, release_hold: 'closed', hold_lapsed: 'closed' },
  closed: {},
};

/** What the centre does on entering a step; the service turns each into a message, call or task. */
export type LadderAction =
  | 'send_sms'
  | 'place_robot_call'
  | 'assign_human_call'
  | 'call_trusted_contact'
  | 'ask_carrier'
  | 'issue_visit'
  | 'ask_second_approver'
  | 'send_hold_to_bank'
  | 'lift_hold'
  | 'close_episode'
  /** The person already paid: an intake draft, prefilled and linked to the episode, for a call-taker. */
  | 'open_intake_draft';

export const ladderEntryActions: Record<LadderStep, LadderAction> = {
  sms: 'send_sms',
  robot_call: 'place_robot_call',
  human_call: 'assign_human_call',
  trusted_contact: 'call_trusted_contact',
  carrier_assist: 'ask_carrier',
  visit: 'issue_visit',
  hold_pending: 'ask_second_approver',
  hold: 'send_hold_to_bank',
  closed: 'close_episode',
};

const MINUTE = 60_000;

/** Minutes each step may take before the ladder moves on, by grade. */
export const ladderSlaMinutes: Record<
  WarningGrade,
  Record<Exclude<LadderStep, 'hold' | 'closed'>, number>
> = {
  high: {
    sms: 1,
    robot_call: 3,
    human_call: 10,
    trusted_contact: 10,
    carrier_assist: 10,
    visit: 120,
    hold_pending: 30,
  },
  medium: {
    sms: 10,
    robot_call: 20,
    human_call: 60,
    trusted_contact: 120,
    carrier_assist: 60,
    visit: 24 * 60,
    hold_pending: 60,
  },
  low: {
    sms: 60,
    robot_call: 4 * 60,
    human_call: 24 * 60,
    trusted_contact: 24 * 60,
    carrier_assist: 24 * 60,
    visit: 3 * 24 * 60,
    hold_pending: 120,
  },
};

/** Minutes from the episode's opening by which a call must have reached the person: the wall's target. */
export const firstContactTargetMinutes: Record<WarningGrade, number> = { high: 5, medium: 30, low: 240 };

/** Minutes from opening after which a person not yet reached gets a visit; none for 低. */
export const reachDeadlineMinutes: Record<WarningGrade, number | null> = { high: 30, medium: 240, low: null };

export const MAX_HOLD_HOURS = 72;

export function slaMs(grade: WarningGrade, step: LadderStep): number | null {
  return step === 'hold' || step === 'closed' ? null : ladderSlaMinutes[grade][step] * MINUTE;
}

export function reachDeadlineMs(grade: WarningGrade): number | null {
  const m = reachDeadlineMinutes[grade];
  return m === null ? null : m * MINUTE;
}

/** Steps before the visit, where the reach deadline applies. */
export const isBeforeVisit = (s: LadderStep): boolean =>
  s === 'sms' ||
  s === 'robot_call' ||
  s === 'human_call' ||
  s === 'trusted_contact' ||
  s === 'carrier_assist';

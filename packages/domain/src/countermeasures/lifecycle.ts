/**
 * A countermeasure (技术反制) — a block, a takedown or a restriction that the centre asks of an outside
 * party — as an explicit state machine:
 *   requested ──acknowledge──▶ acknowledged ──execute──▶ executed ──request_lift──▶ lift_requested
 *       │                          │                                                   │
 *       └──execute / refuse────────┴──refuse──▶ refused                   confirm_lift─┘──▶ lifted
 * The party may execute or refuse straight from `requested`. `refused` and `lifted` are final; a lift is
 * asked by the centre (an appeal granted, a number reassigned) and confirmed by the party — also of a measure
 * not yet executed (`requested`, `acknowledged`): the centre withdraws it, the party must not carry it out
 * (it can no longer be executed) and confirms.
 */
export const countermeasureStatuses = [
  'requested',
  'acknowledged',
  'executed',
  'refused',
  'lift_requested',
  'lifted',
] as const;
export type CountermeasureStatus = (typeof countermeasureStatuses)[number];

export const countermeasureEvents = [
  'acknowledge',
  'execute',
  'refuse',
  'request_lift',
  'confirm_lift',
] as const;
export type CountermeasureEvent = (typeof countermeasureEvents)[number];

/** Who may cause each event: the party that executes the measure, or the centre. */
export const countermeasureEventActor: Record<CountermeasureEvent, 'party' | 'centre'> = {
  acknowledge: 'party',
  execute: 'party',
  refuse: 'party',
  request_lift: 'centre',
  confirm_lift: 'party',
};

const transitions: Record<
  CountermeasureStatus,
  Partial<Record<CountermeasureEvent, CountermeasureStatus>>
> = {
  requested: {
    acknowledge: 'acknowledged',
    execute: 'executed',
    refuse: 'refused',
    request_lift: 'lift_requested',
  },
  acknowledged: { execute: 'executed', refuse: 'refused', request_lift: 'lift_requested' },
  executed: { request_lift: 'lift_requested' },
  refused: {},
  lift_requested: { confirm_lift: 'lifted' },
  lifted: {},
};

/** The next status, or undefined when the event is not allowed from `from`. */
export function nextCountermeasureStatus(
  from: CountermeasureStatus,
  event: CountermeasureEvent,
): CountermeasureStatus | undefined {
  return transitions[from][event];
}

export const isFinalCountermeasureStatus = (s: CountermeasureStatus) => s === 'refused' || s === 'lifted';

/** Waiting on the party: the SLA runs (to execution, or to the lift's confirmation). */
export const isAwaitingParty = (s: CountermeasureStatus) =>
  s === 'requested' || s === 'acknowledged' || s === 'lift_requested';

/** What a party answers, and the event each answer is. */
export const countermeasureAnswers = ['acknowledged', 'executed', 'refused', 'lifted'] as const;
export type CountermeasureAnswer = (typeof countermeasureAnswers)[number];
export const eventOfAnswer: Record<CountermeasureAnswer, CountermeasureEvent> = {
  acknowledged: 'acknowledge',
  executed: 'execute',
  refused: 'refuse',
  lifted: 'confirm_lift',
};

/** Reasons a party gives for refusing. */
export const countermeasureRefusalReasons = [
  'not_our_subscriber',
  'no_such_target',
  'insufficient_grounds',
  'already_done',
  'legal_hold',
  'other',
] as const;
export type CountermeasureRefusalReason = (typeof countermeasureRefusalReasons)[number];

export const countermeasureRefusalNamesZh: Record<CountermeasureRefusalReason, string> = {
  not_our_subscriber: '非本网用户/非本机构客户',
  no_such_target: '查无此号码/网址/应用/账户',
  insufficient_grounds: '依据不足',
  already_done: '已由其他机关处置',
  legal_hold: '另有法定事由不能处置',
  other: '其他原因',
};

/**
 * The hand-off of a submitted report to the police of the victim's county of residence (属地推送), as
 * an explicit state machine:
 *   issued ──accept──▶ accepted ──contact──▶ contacted ──answer──▶ answered
 *     └──────────┴──────transfer (to another county, with a reason)──────▶ transferred
 * Deadlines: accepted within 30 minutes, answered within 24 hours of issue; a task past either is
 * overdue and escalated to the supervisor (督办).
 */
export const countyTaskStatuses = ['issued', 'accepted', 'contacted', 'answered', 'transferred'] as const;
export type CountyTaskStatus = (typeof countyTaskStatuses)[number];
export type CountyTaskEvent = 'accept' | 'contact' | 'answer' | 'transfer';

export const COUNTY_ACCEPT_WITHIN_MS = 30 * 60_000;
export const COUNTY_ANSWER_WITHIN_MS = 24 * 3_600_000;

const transitions: Record<CountyTaskStatus, Partial<Record<CountyTaskEvent, CountyTaskStatus>>> = {
  issued: { accept: 'accepted', transfer: 'transferred' },
  accepted: { contact: 'contacted', answer: 'answered', transfer: 'transferred' },
  contacted: { answer: 'answered', transfer: 'transferred' },
  answered: {},
  transferred: {},
};

export function nextCountyTaskStatus(
  from: CountyTaskStatus,
  event: CountyTaskEvent,
): CountyTaskStatus | undefined {
  return transitions[from][event];
}

export const isLiveTask = (s: CountyTaskStatus) => s === 'issued' || s === 'accepted' || s === 'contacted';

/** Overdue at `now`: not accepted by the accept deadline, or not answered by the answer deadline. */
export function isTaskOverdue(
  t: { status: CountyTaskStatus; acceptDueAt: Date; dueAt: Date },
  now: Date,
): boolean {
  if (!isLiveTask(t.status)) return false;
  return (t.status === 'issued' && now >= t.acceptDueAt) || now >= t.dueAt;
}

export const countyTaskStatusNamesZh: Record<CountyTaskStatus, string> = {
  issued: '待签收',
  accepted: '已签收',
  contacted: '已联系被害人',
  answered: '已反馈',
  transferred: '已移交',
};

/**
 * A callback's life (回访), as a table:
 *   open ──reached──▶ done            (satisfaction 1–5 recorded)
 *     │ ──no_answer / busy──▶ open   (a retry after the spacing) … ──the last attempt──▶ unreachable
 *     │ ──wrong_number──▶ unreachable (no number to try again)
 *     │ ──refused──▶ refused          (the person would not talk)
 *     └──cancel──▶ cancelled          (the supervisor closes it)
 * A satisfaction of 2 or less, or a complaint, on a reached attempt also raises a supervision item.
 */
export const callbackKinds = ['report_closed', 'money_returned', 'persuaded'] as const;
export type CallbackKind = (typeof callbackKinds)[number];

export const callbackKindNamesZh: Record<CallbackKind, string> = {
  report_closed: '结案回访',
  money_returned: '返还回访',
  persuaded: '劝阻回访',
};

export const callbackStatuses = ['open', 'done', 'unreachable', 'refused', 'cancelled'] as const;
export type CallbackStatus = (typeof callbackStatuses)[number];

export const callbackOutcomes = ['reached', 'no_answer', 'busy', 'refused', 'wrong_number'] as const;
export type CallbackOutcome = (typeof callbackOutcomes)[number];

export const callbackOutcomeNamesZh: Record<CallbackOutcome, string> = {
  reached: '已接通',
  no_answer: '无人接听',
  busy: '占线',
  refused: '拒绝回访',
  wrong_number: '号码错误',
};

/** Where each outcome leads from an open callback; `retry` goes back to open unless attempts are used up. */
const transitions: Record<CallbackOutcome, CallbackStatus | 'retry'> = {
  reached: 'done',
  no_answer: 'retry',
  busy: 'retry',
  refused: 'refused',
  wrong_number: 'unreachable',
};

/** The supervisor's settings (kept in the database, with defaults). */
export interface CallbackSettings {
  /** Minutes after the source event before the first call, per kind. */
  delayMinutes: Record<CallbackKind, number>;
  /** Minutes between an unanswered attempt and the next. */
  retryMinutes: number;
  /** Attempts in all before the callback closes as unreachable. */
  maxAttempts: number;
}

export const defaultCallbackSettings: CallbackSettings = {
  delayMinutes: { report_closed: 24 * 60, money_returned: 24 * 60, persuaded: 3 * 24 * 60 },
  retryMinutes: 4 * 60,
  maxAttempts: 3,
};

/** A satisfaction at or below this, or any complaint, becomes a supervision item (督办). */
export const LOW_SATISFACTION = 2;

export interface CallbackAttemptInput {
  outcome: CallbackOutcome;
  satisfaction: number | null;
  complaint: string | null;
}

export type CallbackStep =
  | { ok: true; status: CallbackStatus; dueAt: Date | null; isComplaint: boolean }
  | { ok: false; reason: 'callback.closed' | 'callback.satisfaction_needed' | 'callback.not_reached' };

/**
 * What an attempt does to a callback: its next status, when it is due again (open only), and whether it
 * raises a complaint. `attempts` counts the attempts made before this one.
 */
export function applyCallbackAttempt(
  status: CallbackStatus,
  attempts: number,
  input: CallbackAttemptInput,
  settings: Pick<CallbackSettings, 'retryMinutes' | 'maxAttempts'>,
  at: Date,
): CallbackStep {
  if (status !== 'open') return { ok: false, reason: 'callback.closed' };
  const reached = input.outcome === 'reached';
  if (reached && input.satisfaction === null) return { ok: false, reason: 'callback.satisfaction_needed' };
  if (!reached && (input.satisfaction !== null || input.complaint !== null))
    return { ok: false, reason: 'callback.not_reached' };
  const to = transitions[input.outcome];
  const isComplaint =
    reached && ((input.satisfaction ?? 5) <= LOW_SATISFACTION || (input.complaint?.trim() ?? '') !== '');
  if (to !== 'retry') return { ok: true, status: to, dueAt: null, isComplaint };
  if (attempts + 1 >= settings.maxAttempts)
    return { ok: true, status: 'unreachable', dueAt: null, isComplaint: false };
  return {
    ok: true,
    status: 'open',
    dueAt: new Date(at.getTime() + settings.retryMinutes * 60_000),
    isComplaint: false,
  };
}

export const callbackReasonMessagesZh: Record<string, string> = {
  'callback.closed': '该回访已结束',
  'callback.satisfaction_needed': '已接通须填写满意度（1–5）',
  'callback.not_reached': '未接通时不能填写满意度或投诉',
};

/** The first due time of a callback made for a source event that happened at `at`. */
export const firstCallbackDue = (kind: CallbackKind, at: Date, settings: CallbackSettings): Date =>
  new Date(at.getTime() + settings.delayMinutes[kind] * 60_000);

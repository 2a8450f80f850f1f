/**
 * An appeal (申诉, Anti-Telecom and Online Fraud Law Art. 32): a listed or restricted person asks the centre to
 * lift a measure taken against them. Decided by two people, as an explicit state machine:
 *   filed ──review──▶ under_review ──grant──▶ granted
 *     │                   │        ──deny───▶ denied
 *     └──withdraw─────────┴──withdraw──▶ withdrawn
 * The first reviewer recommends (grant or deny, with a reason); a second, different person decides.
 * `granted`, `denied` and `withdrawn` are final.
 */
export const appealStatuses = ['filed', 'under_review', 'granted', 'denied', 'withdrawn'] as const;
export type AppealStatus = (typeof appealStatuses)[number];

export const appealEvents = ['review', 'grant', 'deny', 'withdraw'] as const;
export type AppealEvent = (typeof appealEvents)[number];

const transitions: Record<AppealStatus, Partial<Record<AppealEvent, AppealStatus>>> = {
  filed: { review: 'under_review', withdraw: 'withdrawn' },
  under_review: { grant: 'granted', deny: 'denied', withdraw: 'withdrawn' },
  granted: {},
  denied: {},
  withdrawn: {},
};

/** The next status, or undefined when the event is not allowed from `from`. */
export function nextAppealStatus(from: AppealStatus, event: AppealEvent): AppealStatus | undefined {
  return transitions[from][event];
}

export const isFinalAppealStatus = (s: AppealStatus) =>
  s === 'granted' || s === 'denied' || s === 'withdrawn';

/** The first reviewer's recommendation, and the second person's decision. */
export const appealOutcomes = ['grant', 'deny'] as const;
export type AppealOutcome = (typeof appealOutcomes)[number];

/**
 * Whether `decider` may decide an appeal `reviewer` recommended on: never the same person (四眼原则, two
 * different people). Pure.
 */
export const mayDecide = (reviewer: string | null, decider: string) =>
  reviewer !== null && reviewer !== decider;

/**
 * What can be appealed: a phone number, URL or bank account the registry lists (and any countermeasure
 * executed on it), the measures of two-cards governance (断卡惩戒) taken against a holder, named by their
 * ID number, or a bank account frozen after a stop-payment (`freeze`, 冻结) or held by the persuasion
 * ladder's protective hold (`hold`, 保护性止付), named by its bank and number.
 */
export const appealSubjectKinds = ['phone', 'url', 'account', 'id_number', 'freeze', 'hold'] as const;
export type AppealSubjectKind = (typeof appealSubjectKinds)[number];

export const appealSubjectNamesZh: Record<AppealSubjectKind, string> = {
  phone: '涉诈号码',
  url: '涉诈网址',
  account: '涉诈账户',
  id_number: '断卡惩戒（身份证号）',
  freeze: '账户冻结',
  hold: '保护性止付',
};

/** The subjects named by a bank and an account number: the bank is required for them, refused otherwise. */
export const isAccountMeasureSubject = (k: AppealSubjectKind) => k === 'freeze' || k === 'hold';

/** Whether the appellant may still withdraw: only before a decision. Pure. */
export const mayWithdraw = (s: AppealStatus) => nextAppealStatus(s, 'withdraw') !== undefined;

/**
 * What a granted appeal does, one effect per thing it changes, each applied idempotently and retried until
 * done: `pending` (not yet applied, or retried), `done`, `failed` (the last attempt failed; retried later).
 */
export const appealEffectStatuses = ['pending', 'done', 'failed'] as const;
export type AppealEffectStatus = (typeof appealEffectStatuses)[number];
export const appealEffectKinds = [
  'indicator',
  'countermeasure',
  'two_card_measure',
  'freeze',
  'hold',
] as const;
export type AppealEffectKind = (typeof appealEffectKinds)[number];

/** Minutes before a failed effect is tried again: doubling from 1 up to an hour. Pure. */
export const appealEffectRetryDelayMs = (attempts: number): number =>
  Math.min(60, 2 ** Math.max(0, Math.min(attempts - 1, 6))) * 60_000;

/** Days from filing to the decision unless configured otherwise (FANZHA_APPEAL_DUE_DAYS). */
export const defaultAppealDueDays = 15;

/**
 * Failed attempts of one effect of a granted appeal after which the supervisors are told, once, unless configured
 * otherwise (FANZHA_APPEAL_EFFECT_FAILURES_ALERT); the sweep goes on retrying it.
 */
export const defaultAppealEffectFailuresAlert = 5;

/** When an appeal filed at `filedAt` must be decided. Pure. */
export const appealDueAt = (filedAt: Date, days: number): Date =>
  new Date(filedAt.getTime() + days * 86_400_000);

const referenceAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * A reference number (受理编号) such as `SS-2026-7KQ2M9XD`: the year and 8 characters from 32 (40 bits) of
 * randomness the caller draws, so that no one guesses another's. Pure: `randomBytes` are given.
 */
export function appealReference(year: number, randomBytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 8; i += 1) s += referenceAlphabet[(randomBytes[i] ?? 0) % 32];
  return `SS-${year}-${s}`;
}

export const isAppealReference = (s: string) => /^SS-\d{4}-[2-9A-HJ-NP-Z]{8}$/.test(s);

import type { TwoCardMeasureKind } from './measures';

/**
 * A two-cards measure reaches the parties that carry it out as signed instructions (one per party, per
 * action: the measure applied, and later lifted). Each is an explicit state machine answered by its party:
 *   sent ──acknowledge──▶ acknowledged ──execute──▶ executed
 *     │                        │
 *     └──execute / refuse──────┴──refuse──▶ refused
 * `executed` and `refused` are final. Answering the status an instruction already has (the same answer again)
 * changes nothing: a party's retry is harmless.
 *
 * The centre's lift of a measure withdraws its `apply` instructions not yet executed or refused (`sent`,
 * `acknowledged` ──lift──▶ `withdrawn`, final): the party is sent the lift instead, can no longer execute the
 * apply, and its deadline no longer runs. Only the centre withdraws; a party never answers `withdrawn`.
 */
export const twoCardInstructionStatuses = [
  'sent',
  'acknowledged',
  'executed',
  'refused',
  'withdrawn',
] as const;
export type TwoCardInstructionStatus = (typeof twoCardInstructionStatuses)[number];

/** What a party answers. */
export const twoCardInstructionAnswers = ['acknowledged', 'executed', 'refused'] as const;
export type TwoCardInstructionAnswer = (typeof twoCardInstructionAnswers)[number];

/** The measure applied (from its start to its end), or lifted before its end. */
export const twoCardInstructionActions = ['apply', 'lift'] as const;
export type TwoCardInstructionAction = (typeof twoCardInstructionActions)[number];

const transitions: Record<TwoCardInstructionStatus, readonly TwoCardInstructionAnswer[]> = {
  sent: ['acknowledged', 'executed', 'refused'],
  acknowledged: ['executed', 'refused'],
  executed: [],
  refused: [],
  withdrawn: [],
};

/**
 * The status after `answer` from `from`: the new status, `same` when the instruction already has it (a retry),
 * or undefined when the lifecycle does not allow it.
 */
export function nextTwoCardInstructionStatus(
  from: TwoCardInstructionStatus,
  answer: TwoCardInstructionAnswer,
): TwoCardInstructionStatus | 'same' | undefined {
  if (from === answer) return 'same';
  return transitions[from].includes(answer) ? answer : undefined;
}

export const isAwaitingTwoCardParty = (s: TwoCardInstructionStatus): boolean =>
  s === 'sent' || s === 'acknowledged';

/** Whether the measure's lift withdraws an instruction: an `apply` its party has neither executed nor refused. */
export const isWithdrawnByLift = (r: {
  action: TwoCardInstructionAction;
  status: TwoCardInstructionStatus;
}): boolean => r.action === 'apply' && isAwaitingTwoCardParty(r.status);

/** Reasons a party gives for refusing. */
export const twoCardRefusalReasons = [
  'not_our_customer',
  'id_number_mismatch',
  'insufficient_grounds',
  'legal_hold',
  'other',
] as const;
export type TwoCardRefusalReason = (typeof twoCardRefusalReasons)[number];

/** Which sort of party carries out each kind: banks the account measures, operators the phone-card limit. */
export const twoCardPartyKindOf: Record<TwoCardMeasureKind, 'bank' | 'operator'> = {
  no_non_counter_services: 'bank',
  no_new_accounts: 'bank',
  limit_new_phone_cards: 'operator',
};

/**
 * Hours a bank or operator has to execute or refuse an instruction before it is escalated (its deadline, and
 * its supervision task's). The project's choice, not a rule's: no published rule gives banks or operators a
 * time to carry out a two-cards measure. A deployment sets its own (FANZHA_TWO_CARDS_INSTRUCTION_SLA_HOURS).
 */
export const defaultTwoCardInstructionSlaHours = 72;

/** When an instruction issued at `issuedAt` is due. */
export const twoCardInstructionDueAt = (issuedAt: Date, slaHours: number): Date =>
  new Date(issuedAt.getTime() + slaHours * 3_600_000);

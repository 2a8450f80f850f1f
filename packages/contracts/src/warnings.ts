import {
  bankInstructionStatuses,
  carrierAnswers,
  ladderSteps,
  operators,
  persuasionOutcomes,
  signalKinds,
  warningGrades,
} from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';

export const WarningGrade = z.enum(warningGrades).meta({ id: 'WarningGrade' });
export const LadderStep = z.enum(ladderSteps).meta({ id: 'LadderStep' });
export const PersuasionOutcome = z.enum(persuasionOutcomes).meta({ id: 'PersuasionOutcome' });
export const ContactChannel = z
  .enum(['sms', 'robot_call', 'human_call', 'trusted_contact', 'carrier_assist', 'visit'])
  .meta({ id: 'ContactChannel' });

/**
 * A person's warning episode (预警事件) as the persuasion console lists it and the live stream pushes it:
 * nothing personal beyond a masked phone, so that it may travel on the bus.
 */
export const EpisodeSummary = z
  .object({
    id: z.uuid(),
    countyCode: z.string().nullable().describe('GB/T 2260 county; null: the centre’s own persuasion desk'),
    countyName: z.string().nullable(),
    routedBy: z
      .enum(['signal', 'id_number', 'centre'])
      .describe(
        'How the county was found: the signal’s county, the ID number’s region, or none (the centre)',
      ),
    grade: WarningGrade,
    step: LadderStep,
    isOpen: z.boolean(),
    isOverdue: z.boolean().describe('The visit’s SLA has passed: escalated for supervision'),
    closeReason: z.string().nullable(),
    personPhoneMasked: z.string().nullable(),
    openedAt: datetime,
    lastWarningAt: datetime,
    warningCount: z.number().int(),
    dueAt: datetime.nullable().describe('When the current step’s SLA runs out'),
    reachBy: datetime.nullable().describe('When an unreached person gets a visit'),
    isVisitIssued: z
      .boolean()
      .describe(
        'A visit has gone out (at the visit step, or at once with carrier assist after a busy line), whatever the step now',
      ),
    takenBy: z.string().nullable(),
    takenAt: datetime.nullable(),
    closedAt: datetime.nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'EpisodeSummary' });
export type EpisodeSummary = z.infer<typeof EpisodeSummary>;

export const EpisodeWarning = z
  .object({
    source: z.string(),
    signalId: z.string(),
    signalKind: z.enum(signalKinds),
    indicator: z.object({ id: z.number().int(), kind: z.string(), value: z.string() }).nullable(),
    grade: WarningGrade,
    score: z.number().int(),
    factors: z.array(z.object({ factor: z.string(), points: z.number().int() })),
    amountFen: z.number().int().nullable(),
    signalAt: datetime,
    recordedAt: datetime,
  })
  .meta({ id: 'EpisodeWarning' });

export const CarrierAnswer = z.enum(carrierAnswers).meta({ id: 'CarrierAnswer' });

/** Where a carrier assist stands: the request to the operator and its answer. */
export const CarrierRequestState = z
  .object({
    requestId: z.uuid(),
    operatorCode: z.enum(operators),
    status: z.enum(['open', 'answered']),
    answer: CarrierAnswer.nullable(),
    reason: z.string().nullable().describe('Why the operator refused'),
    answeredAt: datetime.nullable(),
  })
  .meta({ id: 'CarrierRequestState' });

export const EpisodeContact = z
  .object({
    id: z.uuid(),
    step: LadderStep,
    channel: ContactChannel,
    verificationCode: z.string().nullable().describe('As read out or shown: 7KQ2M-XR9PT'),
    status: z
      .enum(['pending', 'sent', 'failed', 'assigned', 'withdrawn'])
      .describe(
        'An SMS or robot call is pending, then sent or failed; withdrawn (never sent) if the episode closed first. Calls, visits and carrier assists are assigned',
      ),
    createdAt: datetime,
    sentAt: datetime.nullable(),
    failure: z
      .string()
      .nullable()
      .describe('Why it did not go out or was refused; for a withdrawn one, how the episode closed'),
    carrier: CarrierRequestState.nullable().describe(
      'A carrier assist: the request to the person’s operator and its answer; null for other channels, or when no operator could be named',
    ),
  })
  .meta({ id: 'EpisodeContact' });

/** What the person's bank did with one of the hold's instructions, as it confirmed it. */
export const HoldInstructionView = z
  .object({
    instructionId: z.uuid(),
    status: z
      .enum(bankInstructionStatuses)
      .describe('sent, acknowledged, then held (the hold) / lifted (its release), or failed'),
    sequence: z.string().describe('Its place in the bank’s change feed'),
    issuedAt: datetime,
    acknowledgedAt: datetime.nullable(),
    executedAt: datetime.nullable(),
    failureReason: z.string().nullable(),
    note: z.string().nullable(),
    answeredAt: datetime.nullable(),
    answeredBy: z.string().nullable(),
  })
  .meta({ id: 'HoldInstruction' });

/** The hold at the person's bank: its signed instruction and, if it was lifted early, the release. */
export const HoldAtBankView = z
  .object({
    bankCode: z.string(),
    bankName: z.string().nullable(),
    account: z.string().nullable(),
    state: z
      .enum(['sent', 'acknowledged', 'held', 'refused', 'releasing', 'released', 'lapsed'])
      .describe(
        'Where the hold stands at the bank: sent / acknowledged (not yet confirmed), held (confirmed and running), ' +
          'refused (the bank answered failed, with its reason), releasing / released (lifted early: the release ' +
          'sent, then confirmed), lapsed (its end passed: the bank lifted it by itself, no instruction sent)',
      ),
    endsAt: datetime,
    hold: HoldInstructionView,
    release: HoldInstructionView.nullable(),
  })
  .meta({ id: 'HoldAtBank' });

export const ProtectiveHoldView = z
  .object({
    requestedBy: z.string(),
    reason: z.string(),
    hours: z.number().int(),
    bankCode: z.string().nullable().describe('The person’s bank the hold goes to'),
    account: z.string().nullable(),
    approvedBy: z.string().nullable(),
    startsAt: datetime.nullable(),
    endsAt: datetime.nullable(),
    atBank: HoldAtBankView.nullable().describe('Null until approved (then the instruction is sent)'),
  })
  .meta({ id: 'ProtectiveHold' });

/** One episode in full, for the persuader working it: the person, the warnings and how they were graded. */
export const EpisodeView = EpisodeSummary.extend({
  person: z.object({
    phone: z.string().nullable(),
    idNumber: z.string().nullable(),
    name: z.string().nullable(),
  }),
  warnings: z.array(EpisodeWarning),
  contacts: z.array(EpisodeContact),
  ladder: z.object({
    enteredAt: datetime,
    isReached: z.boolean(),
    isVisitIssued: z.boolean(),
    hold: ProtectiveHoldView.nullable(),
    history: z.array(z.object({ at: datetime, event: z.string(), step: LadderStep })),
  }),
  intakeDraftWantedAt: datetime
    .nullable()
    .describe('Set when the person had already paid: an intake draft was opened for a call-taker'),
  intakeReport: z
    .object({ id: z.uuid(), number: z.string(), status: z.string() })
    .nullable()
    .describe(
      'The intake draft opened when the person had already paid, and where it stands (filed: not `draft`)',
    ),
}).meta({ id: 'Episode' });
export type EpisodeView = z.infer<typeof EpisodeView>;

export const EpisodeList = z
  .object({
    episodes: z.array(EpisodeSummary),
    next: z.string().nullable().describe('Pass as `after` for the next page; null on the last'),
  })
  .meta({ id: 'EpisodeList' });
export type EpisodeList = z.infer<typeof EpisodeList>;

export const EpisodeQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional().describe('Default: open episodes only'),
  grade: WarningGrade.optional(),
  step: LadderStep.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('The centre’s desk and supervisors: one county only'),
  after: z
    .string()
    .max(200)
    .optional()
    .describe('The `next` of the previous page (open first, then grade, overdue, oldest)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EpisodeQuery = z.infer<typeof EpisodeQuery>;

export const OutcomeRequest = z
  .strictObject({
    outcome: PersuasionOutcome,
    note: z.string().trim().max(500).optional(),
  })
  .meta({ id: 'OutcomeRequest' });
export type OutcomeRequest = z.infer<typeof OutcomeRequest>;

export const HoldRequest = z
  .strictObject({
    reason: z.string().trim().min(4).max(500),
    hours: z.number().int().min(1).max(72).describe('1–72 hours, from the approval'),
    bankCode: z
      .string()
      .regex(/^[A-Za-z0-9_]{2,20}$/)
      .optional()
      .describe(
        'The person’s bank (its code, e.g. ICBC). Required unless every bank signal of the episode came from one ' +
          'bank: then that bank',
      ),
    account: z
      .string()
      .max(40)
      .optional()
      .describe(
        'One account of the person to hold (8–30 digits); omitted: the bank holds the person’s transfers',
      ),
  })
  .meta({ id: 'HoldRequest' });
export type HoldRequest = z.infer<typeof HoldRequest>;

/** An optional idempotency key on a command a console may send twice (a lost answer, a double click). */
export const CommandHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/)
    .optional()
    .describe('A retry with the same key changes nothing and answers the episode as it stands'),
});

export const VerifyParams = z.strictObject({ code: z.string().min(1).max(64) });

/** A citizen's check of a verification code: nothing about the person. */
export const VerifyAnswer = z
  .object({
    isGenuine: z.boolean(),
    at: datetime.nullable().describe('When the centre made the contact'),
    centre: z.string().nullable(),
    channel: ContactChannel.nullable(),
  })
  .meta({ id: 'VerifyAnswer' });
export type VerifyAnswer = z.infer<typeof VerifyAnswer>;

/** A carrier assist request (运营商协助) as the operator's liaison and system see it. */
export const CarrierRequestView = z
  .object({
    id: z.uuid(),
    episodeId: z.uuid(),
    operatorCode: z.enum(operators),
    phone: z.string().nullable().describe('The subscriber, E.164: the line to interrupt'),
    countyCode: z.string().nullable(),
    countyName: z.string().nullable(),
    grade: WarningGrade,
    asks: z
      .array(z.enum(['interrupt_line', 'clear_call_forwarding']))
      .describe('What the centre asks: interrupt the line now, clear any call forwarding'),
    status: z.enum(['open', 'answered']),
    answer: CarrierAnswer.nullable(),
    reason: z.string().nullable(),
    createdAt: datetime,
    answeredAt: datetime.nullable(),
    answeredBy: z.string().nullable().describe('The liaison (username) or the operator’s key that answered'),
  })
  .meta({ id: 'CarrierRequest' });
export type CarrierRequestView = z.infer<typeof CarrierRequestView>;

/** What the stream and the bus carry of a request: no phone beyond a masked one. */
export const CarrierRequestSummary = CarrierRequestView.omit({ phone: true })
  .extend({ phoneMasked: z.string().nullable() })
  .meta({ id: 'CarrierRequestSummary' });
export type CarrierRequestSummary = z.infer<typeof CarrierRequestSummary>;

export const CarrierRequestList = z
  .object({
    requests: z.array(CarrierRequestView),
    nextCursor: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
  })
  .meta({ id: 'CarrierRequestList' });
export type CarrierRequestList = z.infer<typeof CarrierRequestList>;

export const CarrierRequestQuery = z.strictObject({
  status: z
    .enum(['open', 'answered'])
    .default('open')
    .describe('Default: open, oldest first; answered: newest first'),
  after: z
    .string()
    .regex(/^[1-9]\d{0,17}$/)
    .optional()
    .describe('`nextCursor` of the previous page (of the same status)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CarrierRequestQuery = z.infer<typeof CarrierRequestQuery>;

export const CarrierAnswerRequest = z
  .strictObject({
    answer: CarrierAnswer,
    reason: z.string().trim().min(2).max(500).optional().describe('Required when `refused`'),
  })
  .meta({ id: 'CarrierAnswerRequest' });
export type CarrierAnswerRequest = z.infer<typeof CarrierAnswerRequest>;

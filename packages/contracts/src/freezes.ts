import { freezeStatuses, fundDecisionKinds, fundDecisionStatuses, legalStates } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';

const positiveFen = z.number().int().min(1).max(1e13).describe('Amount in fen (1/100 yuan)');
const decisionNumber = z
  .string()
  .trim()
  .min(4)
  .max(64)
  .describe('Number of the written decision (e.g. 冻结决定书 / 返还决定书)');
const reason = z.string().trim().min(2).max(500);
const appealChannel = z
  .string()
  .trim()
  .min(2)
  .max(200)
  .describe('Where the account holder may appeal the restriction (e.g. the deciding police office)');

export const LegalState = z.enum(legalStates).meta({ id: 'LegalState' });

/** Where a return of funds goes: the victim's name, account and receiving bank. */
export const Payee = z
  .object({ name: z.string(), account: z.string(), bankCode: z.string(), bankName: z.string().nullable() })
  .meta({ id: 'Payee' });
export const FundDecisionKind = z.enum(fundDecisionKinds);
export const FundDecisionStatus = z.enum(fundDecisionStatuses);

/** A release (解冻) or return of funds (资金返还): proposed by one approver, decided by another. */
export const FundDecisionView = z
  .object({
    id: z.uuid(),
    freezeId: z.uuid(),
    reportId: z.uuid(),
    reportNumber: z.string(),
    account: z
      .object({ number: z.string(), bankCode: z.string(), bankName: z.string().nullable() })
      .describe('The frozen account the funds come from'),
    kind: FundDecisionKind,
    amountFen: z.number().int().describe('The amount decided'),
    victimAccount: z.string().nullable().describe('Where a return goes (masked unless the role needs it)'),
    payee: Payee.nullable().describe('A return’s payee: the victim’s name, account and receiving bank'),
    executedFen: z
      .number()
      .int()
      .nullable()
      .describe('What the bank confirmed it released or returned (may be less than decided)'),
    failureReason: z.string().nullable().describe('Why the bank could not carry it out'),
    instructionId: z
      .uuid()
      .nullable()
      .describe('The instruction sent to the bank on approval (the same id as the decision)'),
    decisionNumber: z.string(),
    reason: z.string(),
    appealChannel: z.string(),
    status: FundDecisionStatus,
    proposedBy: z.string(),
    proposedAt: datetime,
    decidedBy: z.string().nullable(),
    decidedAt: datetime.nullable(),
    rejectionReason: z.string().nullable(),
    dueAt: datetime.nullable().describe('A return is due within 3 working days of its approval'),
    isOverdue: z.boolean(),
    confirmedAt: datetime.nullable(),
    confirmedBy: z.string().nullable(),
    bankReference: z.string().nullable(),
  })
  .meta({ id: 'FundDecision' });
export type FundDecisionView = z.infer<typeof FundDecisionView>;

/** A formal freeze (冻结) of an account's funds by police decision. */
export const FreezeView = z
  .object({
    id: z.uuid(),
    stopPaymentId: z.uuid(),
    reportId: z.uuid(),
    decisionNumber: z.string(),
    amountFen: z
      .number()
      .int()
      .describe(
        'Frozen now, as the bank confirmed, less what was released or returned (decided, while requested)',
      ),
    requestedFen: z.number().int().describe('The amount the decision asked the bank to freeze'),
    startsAt: datetime.describe('The decision, or the moment the bank froze the account once confirmed'),
    endsAt: datetime,
    reason: z.string(),
    appealChannel: z.string(),
    status: z
      .enum(freezeStatuses)
      .describe('requested until the bank confirms (active) or fails; then released, returned or expired'),
    confirmedAt: datetime.nullable(),
    failureReason: z.string().nullable(),
    instructionId: z.uuid().describe('The freeze instruction sent to the bank (the same id as the freeze)'),
    decidedBy: z.string(),
    renewals: z.array(
      z.object({
        seq: z.number().int(),
        status: z.enum(['requested', 'confirmed', 'failed']),
        instructionId: z.uuid().nullable(),
        decisionNumber: z.string(),
        previousEndsAt: datetime,
        endsAt: datetime,
        decidedBy: z.string(),
        decidedAt: datetime,
      }),
    ),
    decisions: z.array(FundDecisionView),
  })
  .meta({ id: 'Freeze' });
export type FreezeView = z.infer<typeof FreezeView>;

export const RestopRequest = z
  .strictObject({
    legalDocNumber: z
      .string()
      .trim()
      .min(4)
      .max(64)
      .describe('Legal document for the second (and last) emergency stop of this account in this case'),
  })
  .meta({ id: 'RestopRequest' });

export const FreezeRequest = z
  .strictObject({
    decisionNumber,
    amountFen: positiveFen.describe('At most the amount involved (the money that reached the account)'),
    endsAt: datetime.optional().describe('Default: six months from now'),
    reason,
    appealChannel,
    reviewNote: z
      .string()
      .trim()
      .min(4)
      .max(500)
      .optional()
      .describe(
        'Required when the bank said the account is a merchant, payroll or business account: why freezing it ' +
          'is right (see the freeze proposal)',
      ),
  })
  .meta({ id: 'FreezeRequest' });
export type FreezeRequest = z.infer<typeof FreezeRequest>;

export const RenewFreezeRequest = z
  .strictObject({
    decisionNumber,
    endsAt: datetime.optional().describe('Default: six months from the current end'),
  })
  .meta({ id: 'RenewFreezeRequest' });

export const FundDecisionRequest = z
  .strictObject({
    kind: FundDecisionKind,
    amountFen: positiveFen.describe(
      'At most what is still frozen and not held by other open decisions on the freeze',
    ),
    victimAccount: z
      .string()
      .trim()
      .min(8)
      .max(40)
      .optional()
      .describe("The victim's account the funds go back to (required for a return, refused for a release)"),
    payeeName: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .describe("The account holder's name of the victim's account (required for a return)"),
    payeeBankCode: z
      .string()
      .max(16)
      .optional()
      .describe(
        "The receiving bank's code; from the card's BIN when omitted (required when the BIN is unknown)",
      ),
    decisionNumber,
    reason,
    appealChannel,
  })
  .meta({ id: 'FundDecisionRequest' });
export type FundDecisionRequest = z.infer<typeof FundDecisionRequest>;

export const RejectRequest = z.strictObject({ reason }).meta({ id: 'RejectRequest' });

/**
 * The bank confirms it has returned all of the decided amount (the earlier form of confirming a return; a
 * partial or failed return is confirmed at `POST /api/bank/instructions/{id}/confirm`).
 */
export const ReturnConfirmation = z
  .strictObject({
    bankReference: z.string().trim().min(2).max(64).describe("The bank's reference of the return transfer"),
    returnedAt: datetime.optional().describe('Default: now'),
  })
  .meta({ id: 'ReturnConfirmation' });
export type ReturnConfirmation = z.infer<typeof ReturnConfirmation>;

export const BankReturnList = z
  .object({
    decisions: z.array(FundDecisionView),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `after` for the next page or, later, for what changed since'),
    hasMore: z.boolean(),
  })
  .meta({ id: 'BankReturnList' });
export type BankReturnList = z.infer<typeof BankReturnList>;

export const BankReturnQuery = z
  .strictObject({
    after: z
      .string()
      .regex(/^[0-9]{1,18}$/)
      .optional()
      .describe('The `nextCursor` of an earlier page: only returns changed since'),
    updatedSince: datetime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .describe('In the order the return instructions changed (your feed’s `sequence`)');

export const FundDecisionList = z
  .object({ decisions: z.array(FundDecisionView) })
  .meta({ id: 'FundDecisionList' });
export type FundDecisionList = z.infer<typeof FundDecisionList>;

/** A reminder or an escalation (督办) raised by the legal timers or a missed deadline. */
export const AlertView = z
  .object({
    id: z.uuid(),
    kind: z
      .enum([
        'stop_lapsing',
        'stop_lapsed',
        'freeze_ending',
        'freeze_expired',
        'return_overdue',
        'task_overdue',
        'cluster_grown',
        'countermeasure_overdue',
      ])
      .describe(
        '`task_overdue`: a deadline missed or a retried step failing — a county task, an appeal undecided or its ' +
          'effect failing, a two-cards instruction unanswered; `objectType` says which',
      ),
    threshold: z.string().describe('Which reminder, e.g. 6h or 1h before a lapse'),
    level: z.enum(['reminder', 'escalation']),
    objectType: z.string(),
    objectId: z.uuid(),
    reportId: z.uuid().nullable().describe('Null for an alert with no report behind it (a countermeasure)'),
    reportNumber: z.string(),
    countyCode: z.string().nullable(),
    message: z.string(),
    dueAt: datetime.nullable(),
    raisedAt: datetime,
    acknowledgedAt: datetime.nullable(),
    acknowledgedBy: z.string().nullable(),
  })
  .meta({ id: 'Alert' });
export type AlertView = z.infer<typeof AlertView>;
export const AlertList = z.object({ alerts: z.array(AlertView) }).meta({ id: 'AlertList' });
export type AlertList = z.infer<typeof AlertList>;
export const AlertQuery = z.strictObject({
  open: z.enum(['true', 'false']).default('true').describe('Only alerts not yet acknowledged'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * Several alerts seen at once (a supervisor clearing a backlog): up to 500, each named once. All or
 * nothing: an id that is unknown or outside the caller's alerts refuses the whole request.
 */
export const AcknowledgeAlertsRequest = z
  .strictObject({
    ids: z
      .array(z.uuid())
      .min(1)
      .max(500)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'names an alert more than once' })
      .describe('The alerts to acknowledge; already acknowledged ones are left as they are'),
  })
  .meta({ id: 'AcknowledgeAlertsRequest' });
export type AcknowledgeAlertsRequest = z.infer<typeof AcknowledgeAlertsRequest>;

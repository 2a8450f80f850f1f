import { fundDecisionKinds, fundDecisionStatuses, legalStates } from '@fanzha/domain';
import { z } from 'zod';

const datetime = z.iso.datetime({ offset: true });
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
    amountFen: z.number().int(),
    victimAccount: z.string().nullable().describe('Where a return goes (masked unless the role needs it)'),
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
    amountFen: z.number().int(),
    startsAt: datetime,
    endsAt: datetime,
    reason: z.string(),
    appealChannel: z.string(),
    status: z.enum(['active', 'released', 'returned', 'expired']),
    decidedBy: z.string(),
    renewals: z.array(
      z.object({
        seq: z.number().int(),
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
  .object({
    legalDocNumber: z
      .string()
      .trim()
      .min(4)
      .max(64)
      .describe('Legal document for the second (and last) emergency stop of this account in this case'),
  })
  .meta({ id: 'RestopRequest' });

export const FreezeRequest = z
  .object({
    decisionNumber,
    amountFen: positiveFen.describe('At most the amount involved (the money that reached the account)'),
    endsAt: datetime.optional().describe('Default: six months from now'),
    reason,
    appealChannel,
  })
  .meta({ id: 'FreezeRequest' });
export type FreezeRequest = z.infer<typeof FreezeRequest>;

export const RenewFreezeRequest = z
  .object({
    decisionNumber,
    endsAt: datetime.optional().describe('Default: six months from the current end'),
  })
  .meta({ id: 'RenewFreezeRequest' });

export const FundDecisionRequest = z
  .object({
    kind: FundDecisionKind,
    amountFen: positiveFen.describe('At most the frozen amount'),
    victimAccount: z
      .string()
      .trim()
      .min(8)
      .max(40)
      .optional()
      .describe("The victim's account the funds go back to (required for a return)"),
    decisionNumber,
    reason,
    appealChannel,
  })
  .meta({ id: 'FundDecisionRequest' });
export type FundDecisionRequest = z.infer<typeof FundDecisionRequest>;

export const RejectRequest = z.object({ reason }).meta({ id: 'RejectRequest' });

/** The bank confirms it has returned the funds. */
export const ReturnConfirmation = z
  .object({
    bankReference: z.string().trim().min(2).max(64).describe("The bank's reference of the return transfer"),
    returnedAt: datetime.optional().describe('Default: now'),
  })
  .meta({ id: 'ReturnConfirmation' });
export type ReturnConfirmation = z.infer<typeof ReturnConfirmation>;

export const FundDecisionList = z
  .object({ decisions: z.array(FundDecisionView) })
  .meta({ id: 'FundDecisionList' });
export type FundDecisionList = z.infer<typeof FundDecisionList>;

/** A reminder or an escalation (督办) raised by the legal timers or a missed deadline. */
export const AlertView = z
  .object({
    id: z.uuid(),
    kind: z.enum([
      'stop_lapsing',
      'stop_lapsed',
      'freeze_ending',
      'freeze_expired',
      'return_overdue',
      'task_overdue',
    ]),
    threshold: z.string().describe('Which reminder, e.g. 6h or 1h before a lapse'),
    level: z.enum(['reminder', 'escalation']),
    objectType: z.string(),
    objectId: z.uuid(),
    reportId: z.uuid(),
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
export const AlertQuery = z.object({
  open: z.enum(['true', 'false']).default('true').describe('Only alerts not yet acknowledged'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

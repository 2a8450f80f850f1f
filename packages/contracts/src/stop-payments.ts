import { stopFailureReasons, stopPaymentStatuses } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';
import { FreezeView, LegalState } from './freezes';

const fen = z.number().int().min(0).max(1e13);

export const StopPaymentStatus = z.enum(stopPaymentStatuses).meta({ id: 'StopPaymentStatus' });
export const StopFailureReason = z.enum(stopFailureReasons).meta({ id: 'StopFailureReason' });

export const AccountRef = z.object({
  number: z.string().describe('Card or account number'),
  name: z.string().nullable().describe('Account holder as given'),
  bankCode: z.string(),
  bankName: z.string().nullable(),
});

/** What a bank says an account is used for: a merchant's, payroll or business account is reviewed before a freeze. */
export const AccountUse = z.enum(['merchant', 'payroll', 'business', 'personal']).meta({ id: 'AccountUse' });
export type AccountUse = z.infer<typeof AccountUse>;

export const OnwardTransfer = z.strictObject({
  account: z.strictObject({
    number: z.string().min(8).max(40),
    name: z.string().max(64).optional(),
    bankCode: z.string().max(16).optional().describe('Filled from the BIN when omitted'),
  }),
  amountFen: fen.refine((v) => v > 0, 'must be more than 0'),
  transferredAt: datetime,
});
export type OnwardTransfer = z.infer<typeof OnwardTransfer>;

export const StopResult = z.object({
  outcome: z.enum(['stopped', 'failed']),
  stoppedFen: z.number().int(),
  balanceFen: z.number().int().nullable(),
  failureReason: StopFailureReason.nullable(),
  note: z.string().nullable(),
  onwardTransfers: z.array(
    z.object({
      account: AccountRef,
      amountFen: z.number().int(),
      transferredAt: datetime,
      childId: z.uuid().nullable().describe('The next-layer request this transfer became'),
    }),
  ),
  answeredAt: datetime,
  answeredBy: z.string().describe('Liaison username or bank integration key name'),
  accountUse: AccountUse.nullable()
    .optional()
    .describe('What the bank said the account is used for (null or absent: not said)'),
});

/** A stop-payment request (紧急止付) for one account, at one layer of the money trail. */
export const StopPaymentView = z
  .object({
    id: z.uuid(),
    reportId: z.uuid(),
    reportNumber: z.string(),
    parentId: z.uuid().nullable(),
    layer: z.number().int().min(1),
    account: AccountRef,
    amountFen: z
      .number()
      .int()
      .describe('Money that reached this account from the layer above (or the victim)'),
    transferredAt: datetime.nullable(),
    status: StopPaymentStatus,
    urgency: z.number().int().describe('Higher first: fresh money, large amounts and shallow layers'),
    legalDocNumber: z.string().nullable(),
    createdAt: datetime,
    sentAt: datetime.nullable(),
    acknowledgedAt: datetime.nullable(),
    result: StopResult.nullable(),
    stopSeq: z
      .number()
      .int()
      .min(1)
      .max(2)
      .describe('1, or 2 for the second (last) emergency stop of the account in this case'),
    renewsId: z.uuid().nullable().describe('The first emergency stop this one renews'),
    stoppedAt: datetime.nullable().describe('When the bank stopped the account'),
    expiresAt: datetime
      .nullable()
      .describe('The emergency stop lapses at this instant (48 hours after the stop)'),
    lapsedAt: datetime.nullable(),
    legalState: LegalState,
    frozenFen: z.number().int().describe('Held by a freeze in force (separate from the amount stopped)'),
    returnedFen: z.number().int().describe('Returned to the victim, as confirmed by the bank'),
    freeze: FreezeView.nullable().describe('The latest freeze of this account in this case'),
  })
  .meta({ id: 'StopPayment' });
export type StopPaymentView = z.infer<typeof StopPaymentView>;

export const StopPaymentQueueQuery = z.strictObject({
  status: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/)
    .optional()
    .describe('Comma-separated statuses; default the open ones (pending, sent, acknowledged)'),
  bank: z.string().max(16).optional(),
  reportId: z.uuid().optional(),
  expiring: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'true: only emergency stops still in force (not frozen, renewed or lapsed), nearest lapse first',
    ),
  before: z
    .string()
    .regex(/^[0-9]{1,15}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    .optional()
    .describe('The `nextCursor` of the previous page: the next page of older requests'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const StopPaymentList = z
  .object({
    requests: z
      .array(StopPaymentView)
      .describe('One page, newest first by creation, sorted most urgent first'),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `before` for the next page of older requests; null when this was the last'),
    hasMore: z.boolean(),
  })
  .meta({ id: 'StopPaymentList' });
export type StopPaymentList = z.infer<typeof StopPaymentList>;

export const SendStopPaymentRequest = z
  .strictObject({
    legalDocNumber: z
      .string()
      .trim()
      .min(4)
      .max(64)
      .describe('Number of the legal document authorising the emergency stop (止付通知书)'),
  })
  .meta({ id: 'SendStopPaymentRequest' });

export const IdParams = z.strictObject({ id: z.uuid() });

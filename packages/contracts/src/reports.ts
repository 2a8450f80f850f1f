import { fraudTypeCodes } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';
import { FieldProblem } from './errors';

const fen = z.number().int().min(0).max(1e13).describe('Amount in fen (1/100 yuan)');

export const FraudTypeCode = z.enum(fraudTypeCodes).meta({ id: 'FraudTypeCode' });
/** How the fraudster was met or what they used; `device` is the IMEI of a handset they used (from a seized phone or an operator). */
export const ContactKind = z.enum(['phone', 'url', 'app', 'social', 'device', 'other']);

/**
 * One transfer the victim made: when, how much, from which of their accounts, to which account.
 * `key` is the client's own stable id of the row, so autosaves update rather than duplicate it.
 * While drafting every field may be missing; problems are reported, not refused.
 */
export const TransferInput = z.strictObject({
  key: z.string().min(1).max(64),
  transferredAt: datetime.optional(),
  amountFen: fen.optional(),
  victimAccount: z.string().max(40).optional().describe("The victim's own account the money left from"),
  toAccount: z.strictObject({
    number: z.string().max(40).optional(),
    name: z.string().max(64).optional(),
    bankCode: z.string().max(16).optional().describe('Filled from the BIN when omitted'),
  }),
});
export type TransferInput = z.infer<typeof TransferInput>;

export const ContactInput = z.strictObject({
  key: z.string().min(1).max(64),
  kind: ContactKind,
  value: z.string().max(500),
});

export const VictimInput = z.strictObject({
  name: z.string().max(64).optional(),
  idNumber: z.string().max(32).optional(),
  phone: z.string().max(32).optional(),
  countyCode: z.string().max(6).optional().describe('GB/T 2260 county of residence (routing goes there)'),
  address: z.string().max(200).optional(),
});

/** The whole draft as the intake console has it: saved on every change (autosave). */
export const ReportDraftInput = z
  .strictObject({
    version: z
      .number()
      .int()
      .min(0)
      .describe('The version last seen; 0 to create. A stale version is refused (409).'),
    callAnsweredAt: datetime.describe(
      'When the call was answered (from the telephony system when integrated)',
    ),
    // The draft is saved whole, so leaving out the victim or the transfers would erase them: they are
    // required (send `{}` or `[]` for none). Contacts and the narrative carry no money, account or legal
    // fact, and default to none.
    victim: VictimInput,
    transfers: z.array(TransferInput).max(50),
    contacts: z.array(ContactInput).max(50).default([]),
    narrative: z.string().max(10_000).default(''),
    fraudType: FraudTypeCode.optional(),
  })
  .meta({ id: 'ReportDraftInput' });
export type ReportDraftInput = z.infer<typeof ReportDraftInput>;

export const ReportStatus = z.enum(['draft', 'registered', 'routed', 'accepted', 'closed']);

export const ReportTimes = z
  .object({
    callAnsweredAt: datetime,
    firstAccountPushedAt: datetime.nullable(),
    firstInstructionSentAt: datetime.nullable(),
    firstStopResultAt: datetime.nullable(),
    submittedAt: datetime.nullable(),
  })
  .describe('The clock against three minutes');

/** A report as a role may see it: personal data masked unless the role needs it (`isMasked`). */
export const ReportView = z
  .object({
    id: z.uuid(),
    number: z.string().describe('Human reference, e.g. JJ20260501-000123'),
    version: z.number().int(),
    status: ReportStatus,
    isMasked: z.boolean(),
    victim: z.object({
      name: z.string().nullable(),
      idNumber: z.string().nullable(),
      phone: z.string().nullable(),
      countyCode: z.string().nullable(),
      countyName: z.string().nullable(),
      address: z.string().nullable(),
    }),
    transfers: z.array(
      z.object({
        key: z.string(),
        transferredAt: datetime.nullable(),
        amountFen: z.number().int().nullable(),
        victimAccount: z.string().nullable(),
        toAccount: z.object({
          number: z.string().nullable(),
          name: z.string().nullable(),
          bankCode: z.string().nullable(),
          bankName: z.string().nullable(),
        }),
        stopPaymentId: z
          .uuid()
          .nullable()
          .describe('The request pushed to the desk for this account, once valid'),
      }),
    ),
    contacts: z.array(z.object({ key: z.string(), kind: ContactKind, value: z.string() })),
    narrative: z.string(),
    fraudType: FraudTypeCode.nullable(),
    suggestedFraudType: z.object({ code: FraudTypeCode, matched: z.array(z.string()) }).nullable(),
    totalLossFen: z.number().int(),
    times: ReportTimes,
    problems: z
      .array(FieldProblem)
      .describe('What is still invalid or missing; submit refuses while any remain'),
    createdBy: z.string(),
    fromEpisodeId: z
      .uuid()
      .nullable()
      .describe('The warning episode this draft was opened from: the person had already paid (预警转警情)'),
    owningCountyCode: z
      .string()
      .nullable()
      .describe('The county whose police own the case (residence at submission; changes on transfer)'),
    money: z
      .object({
        stoppedFen: z.number().int(),
        frozenFen: z.number().int(),
        returnedFen: z.number().int(),
      })
      .describe('Kept apart: money stopped is not money recovered'),
  })
  .meta({ id: 'Report' });
export type ReportView = z.infer<typeof ReportView>;

export const ReportIdParams = z.strictObject({ id: z.uuid() });
export const SubmitReportRequest = z
  .strictObject({ version: z.number().int().min(1) })
  .meta({ id: 'SubmitReportRequest' });

export const ReportListQuery = z.strictObject({
  status: ReportStatus.optional(),
  mine: z.enum(['true', 'false']).optional().describe('Only reports I created'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ReportSummary = z.object({
  id: z.uuid(),
  number: z.string(),
  status: ReportStatus,
  fraudType: FraudTypeCode.nullable(),
  countyCode: z.string().nullable(),
  totalLossFen: z.number().int(),
  callAnsweredAt: datetime,
  updatedAt: datetime,
  fromEpisodeId: z.uuid().nullable().describe('Opened from a warning episode (the person had already paid)'),
});
export const ReportList = z.object({ reports: z.array(ReportSummary) }).meta({ id: 'ReportList' });
export type ReportList = z.infer<typeof ReportList>;

export const UnmaskRequest = z
  .strictObject({
    reason: z.string().trim().min(4).max(200).describe('Why the full personal data is needed (audited)'),
  })
  .meta({ id: 'UnmaskRequest' });

/**
 * A whole report in one request, registered at once: for telephony and 110 systems that take the call
 * themselves, and for the simulator. `id` is the caller's UUID: sending the same report again (a retry)
 * returns the first registration and changes nothing.
 */
export const IntakeReportInput = ReportDraftInput.omit({ version: true })
  .extend({ id: z.uuid() })
  .meta({ id: 'IntakeReportInput' });
export type IntakeReportInput = z.input<typeof IntakeReportInput>;

export const IntakeBatchRequest = z
  .strictObject({ reports: z.array(IntakeReportInput).min(1).max(500) })
  .meta({ id: 'IntakeBatchRequest' });
export type IntakeBatchRequest = z.input<typeof IntakeBatchRequest>;

export const IntakeBatchResult = z
  .object({
    reports: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        isNew: z.boolean().describe('false when this id was registered before (a retry)'),
        stopPaymentIds: z.array(z.uuid()),
      }),
    ),
  })
  .meta({ id: 'IntakeBatchResult' });
export type IntakeBatchResult = z.infer<typeof IntakeBatchResult>;

const ClockStage = z.object({
  reached: z.number().int().describe('Reports that reached this step'),
  medianS: z.number().nullable(),
  p90S: z.number().nullable(),
});

/** The three-minute clock over a period: seconds from the call being answered to each step. */
export const ClockStats = z
  .object({
    from: datetime,
    to: datetime,
    reports: z.number().int().describe('Reports whose call was answered in the period'),
    toFirstPush: ClockStage,
    toFirstInstruction: ClockStage,
    toFirstStopResult: ClockStage,
    withinTargetShare: z
      .number()
      .nullable()
      .describe('Share of reports with a stop result within the target'),
    targetS: z.number().int(),
  })
  .meta({ id: 'ClockStats' });
export type ClockStats = z.infer<typeof ClockStats>;

export const ClockStatsQuery = z.strictObject({
  from: datetime.optional().describe('Default: today 00:00 in China (UTC+8)'),
  to: datetime.optional().describe('Default: now'),
});

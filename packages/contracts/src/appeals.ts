import {
  appealEffectKinds,
  appealEffectStatuses,
  appealOutcomes,
  appealStatuses,
  appealSubjectKinds,
  countermeasureKinds,
  countermeasureStatuses,
} from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';

export const AppealStatus = z.enum(appealStatuses).meta({ id: 'AppealStatus' });
export const AppealSubjectKind = z
  .enum(appealSubjectKinds)
  .describe(
    'phone, url or account: a value the registry lists (and any countermeasure executed on it); id_number: ' +
      'the two-cards measures (断卡惩戒) against the holder of that ID number; freeze or hold: a bank account ' +
      'frozen after a stop-payment (冻结) or held by a protective hold (保护性止付), named by bankCode and number',
  )
  .meta({ id: 'AppealSubjectKind' });
export const AppealOutcome = z.enum(appealOutcomes).meta({ id: 'AppealOutcome' });

/** What a person files on the public form. */
export const AppealFiling = z
  .strictObject({
    subjectKind: AppealSubjectKind,
    subjectValue: z
      .string()
      .min(1)
      .max(512)
      .describe('The phone number, URL, account or ID number, written any way: it is normalised'),
    bankCode: z
      .string()
      .min(1)
      .max(16)
      .optional()
      .describe('The bank of the account (freeze, hold): required for them, refused for the other subjects'),
    name: z.string().trim().min(1).max(64).describe('The appellant’s name (kept encrypted)'),
    contactPhone: z
      .string()
      .min(1)
      .max(32)
      .describe('A phone number the centre may call back; also needed to check the status'),
    statement: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .describe('Why the measure is wrong, in the appellant’s words'),
  })
  .meta({ id: 'AppealFiling' });
export type AppealFiling = z.infer<typeof AppealFiling>;

/** What the public is told: the reference number, the status and the dates, nothing else. */
export const AppealReceipt = z
  .strictObject({
    reference: z.string().describe('The reference number (受理编号), e.g. SS-2026-7KQ2M9XD: keep it'),
    status: AppealStatus,
    filedAt: datetime,
    dueAt: datetime.describe('When the centre must have decided'),
    decidedAt: datetime.nullable(),
  })
  .meta({ id: 'AppealReceipt' });
export type AppealReceipt = z.infer<typeof AppealReceipt>;

export const AppealReferenceParams = z.strictObject({ reference: z.string().min(1).max(64) });
export const AppealStatusQuery = z.strictObject({
  phone: z.string().min(1).max(32).describe('The contact phone given when filing'),
});

/** The appellant withdraws, with the contact phone given when filing. */
export const AppealWithdrawal = z
  .strictObject({
    contactPhone: z.string().min(1).max(32).describe('The contact phone given when filing'),
  })
  .meta({ id: 'AppealWithdrawal' });
export type AppealWithdrawal = z.infer<typeof AppealWithdrawal>;

export const AppealEffectView = z
  .object({
    kind: z.enum(appealEffectKinds),
    targetId: z.string(),
    status: z.enum(appealEffectStatuses).describe('pending: not yet applied; failed: retried later; done'),
    result: z
      .string()
      .nullable()
      .describe(
        'When done: not_fraud, lift_requested, lifted, release_approved, release_proposed (a freeze release ' +
          'proposed by the decider, awaiting a second approver among the fund decisions), released, or kept',
      ),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: datetime.nullable(),
    doneAt: datetime.nullable(),
  })
  .meta({ id: 'AppealEffect' });
export type AppealEffectView = z.infer<typeof AppealEffectView>;

export const PublicAppealHeaders = z
  .object({
    'idempotency-key': z
      .string()
      .min(8)
      .max(128)
      .optional()
      .describe(
        'Optional: a retry with the same key and body answers the same reference and files nothing new',
      ),
  })
  .passthrough();

export const AppealView = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    subjectKind: AppealSubjectKind,
    subjectValue: z
      .string()
      .describe('In its normal form; an ID number is masked unless the appeal is opened'),
    subjectBankCode: z.string().nullable().describe('The bank of the account appealed (freeze, hold)'),
    name: z.string(),
    contactPhone: z.string().describe('Masked in lists'),
    statement: z.string(),
    status: AppealStatus,
    filedAt: datetime,
    dueAt: datetime,
    isOverdue: z.boolean(),
    recommendation: AppealOutcome.nullable(),
    recommendationReason: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: datetime.nullable(),
    decidedBy: z.string().nullable(),
    decisionReason: z.string().nullable(),
    decidedAt: datetime.nullable(),
    effects: z
      .array(z.string())
      .describe(
        'What a granted appeal changed: `indicator:<id>:not_fraud`, `countermeasure:<id>:lift_requested`, …',
      ),
    effectStates: z
      .array(AppealEffectView)
      .describe('Each effect of a grant with its state (done, pending, failed and retried)'),
  })
  .meta({ id: 'Appeal' });
export type AppealView = z.infer<typeof AppealView>;

/** The subject's current state, as the reviewers see it beside the appeal. */
export const AppealSubjectState = z
  .object({
    indicator: z.object({ id: z.number().int(), status: z.string(), riskLevel: z.string() }).nullable(),
    countermeasures: z.array(
      z.object({
        id: z.uuid(),
        kind: z.enum(countermeasureKinds),
        partyCode: z.string(),
        status: z.enum(countermeasureStatuses),
      }),
    ),
    measures: z.array(z.object({ id: z.uuid(), kind: z.string(), state: z.string(), endsAt: datetime })),
    freezes: z
      .array(z.object({ id: z.uuid(), status: z.string(), amountFen: z.number().int(), endsAt: datetime }))
      .describe('The freezes on the account appealed (freeze)'),
    holds: z
      .array(z.object({ episodeId: z.uuid(), endsAt: datetime.nullable() }))
      .describe('The protective holds on the account appealed (hold)'),
  })
  .meta({ id: 'AppealSubjectState' });
export type AppealSubjectState = z.infer<typeof AppealSubjectState>;

export const AppealDetail = z
  .object({ appeal: AppealView, subject: AppealSubjectState })
  .meta({ id: 'AppealDetail' });
export type AppealDetail = z.infer<typeof AppealDetail>;

export const AppealQuery = z.strictObject({
  status: z
    .enum(['open', ...appealStatuses])
    .default('open')
    .describe('open: filed or under review'),
  after: z
    .string()
    .regex(/^[1-9]\d{0,17}$/)
    .optional()
    .describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AppealQuery = z.infer<typeof AppealQuery>;

export const AppealList = z
  .object({ items: z.array(AppealView), nextCursor: z.string().nullable() })
  .meta({ id: 'AppealList' });
export type AppealList = z.infer<typeof AppealList>;

export const AppealReview = z
  .strictObject({
    recommendation: AppealOutcome,
    reason: z.string().trim().min(1).max(1000),
  })
  .meta({ id: 'AppealReview' });
export type AppealReview = z.infer<typeof AppealReview>;

export const AppealDecision = z
  .strictObject({
    decision: AppealOutcome,
    reason: z.string().trim().min(1).max(1000),
  })
  .meta({ id: 'AppealDecision' });
export type AppealDecision = z.infer<typeof AppealDecision>;

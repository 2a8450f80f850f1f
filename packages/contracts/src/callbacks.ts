import { callbackKinds, callbackOutcomes, callbackStatuses } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';

export const CallbackKind = z.enum(callbackKinds).meta({ id: 'CallbackKind' });
export const CallbackStatus = z.enum(callbackStatuses).meta({ id: 'CallbackStatus' });
export const CallbackOutcome = z.enum(callbackOutcomes).meta({ id: 'CallbackOutcome' });

export const CallbackQuery = z.strictObject({
  status: z
    .enum(['open', 'closed'])
    .optional()
    .describe('Default `open`: the queue, due first; `closed`: the latest closed ones first'),
  kind: CallbackKind.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().describe('Default 50'),
});
export type CallbackQuery = z.infer<typeof CallbackQuery>;

/** One callback as the queue shows it: the person masked. */
export const CallbackSummary = z
  .object({
    id: z.uuid(),
    kind: CallbackKind,
    status: CallbackStatus,
    reportId: z.uuid().nullable(),
    reportNumber: z.string().nullable(),
    episodeId: z.uuid().nullable(),
    countyCode: z.string().nullable(),
    personNameMasked: z.string().nullable(),
    personPhoneMasked: z.string().nullable(),
    attempts: z.number().int(),
    dueAt: datetime.nullable().describe('When to call (again); null once closed'),
    isDue: z.boolean(),
    satisfaction: z.number().int().min(1).max(5).nullable(),
    hasComplaint: z.boolean(),
    createdAt: datetime,
    closedAt: datetime.nullable(),
  })
  .meta({ id: 'CallbackSummary' });
export type CallbackSummary = z.infer<typeof CallbackSummary>;

export const CallbackList = z.object({ items: z.array(CallbackSummary) }).meta({ id: 'CallbackList' });
export type CallbackList = z.infer<typeof CallbackList>;

export const CallbackAttemptView = z
  .object({
    n: z.number().int(),
    outcome: CallbackOutcome,
    satisfaction: z.number().int().nullable(),
    complaint: z.string().nullable(),
    note: z.string().nullable(),
    by: z.string(),
    at: datetime,
  })
  .meta({ id: 'CallbackAttemptView' });

export const CallbackScript = z
  .object({ opening: z.string(), questions: z.array(z.string()), closing: z.string() })
  .meta({ id: 'CallbackScript' });

/** One callback with its attempts and the script to read. */
export const CallbackView = CallbackSummary.extend({
  attemptsList: z.array(CallbackAttemptView),
  script: CallbackScript,
  maxAttempts: z.number().int(),
}).meta({ id: 'CallbackView' });
export type CallbackView = z.infer<typeof CallbackView>;

/** The person's name and phone in full, to place the call: every read is audited. */
export const CallbackContact = z
  .object({ name: z.string().nullable(), phone: z.string().nullable() })
  .meta({ id: 'CallbackContact' });
export type CallbackContact = z.infer<typeof CallbackContact>;

/** One attempt at the call. A satisfaction (1–5) only and always when reached; a complaint only when reached. */
export const CallbackAttemptRequest = z
  .strictObject({
    outcome: CallbackOutcome,
    satisfaction: z.number().int().min(1).max(5).nullish(),
    complaint: z.string().trim().min(1).max(2000).nullish(),
    note: z.string().max(2000).nullish(),
  })
  .meta({ id: 'CallbackAttemptRequest' });
export type CallbackAttemptRequest = z.infer<typeof CallbackAttemptRequest>;

export const CallbackRatesQuery = z.strictObject({
  from: datetime.optional().describe('Default: the first day of this month, 00:00 in China (UTC+8)'),
  to: datetime.optional().describe('Default: now'),
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('GB/T 2260 county code: only that county’s callbacks'),
});
export type CallbackRatesQuery = z.infer<typeof CallbackRatesQuery>;

const share = z.number().min(0).max(1).nullable();

export const CallbackFigures = z
  .object({
    scheduled: z.number().int().describe('Callbacks made (scheduled) in [from, to)'),
    closed: z.number().int().describe('… of which closed (done, unreachable, refused)'),
    reached: z.number().int(),
    reachRate: share.describe('reached / closed'),
    unreachable: z.number().int(),
    refused: z.number().int(),
    meanSatisfaction: z.number().nullable(),
    complaints: z.number().int().describe('Reached with a satisfaction ≤ 2 or a complaint'),
  })
  .meta({ id: 'CallbackFigures' });
export type CallbackFigures = z.infer<typeof CallbackFigures>;

/** Callback figures (回访率, 满意度, 投诉): aggregates only, by callbacks made in [from, to). */
export const CallbackRates = z
  .object({
    from: datetime,
    to: datetime,
    county: z.string().nullable(),
    all: CallbackFigures,
    byKind: z.array(CallbackFigures.extend({ kind: CallbackKind })),
  })
  .meta({ id: 'CallbackRates' });
export type CallbackRates = z.infer<typeof CallbackRates>;

/** The supervisor's settings: delays before the first call per kind, retry spacing and attempts. */
export const CallbackSettingsBody = z
  .strictObject({
    delayMinutes: z.strictObject({
      report_closed: z.number().int().min(0).max(43_200),
      money_returned: z.number().int().min(0).max(43_200),
      persuaded: z.number().int().min(0).max(43_200),
    }),
    retryMinutes: z.number().int().min(5).max(10_080),
    maxAttempts: z.number().int().min(1).max(10),
  })
  .meta({ id: 'CallbackSettings' });
export type CallbackSettingsBody = z.infer<typeof CallbackSettingsBody>;

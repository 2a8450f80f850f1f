import {
  countermeasureAnswers,
  countermeasureEvents,
  countermeasureKinds,
  countermeasureRefusalReasons,
  countermeasureStatuses,
} from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';
import { SignatureAlgorithm } from './bank';

export const CountermeasureKind = z.enum(countermeasureKinds).meta({ id: 'CountermeasureKind' });
export const CountermeasureStatus = z.enum(countermeasureStatuses).meta({ id: 'CountermeasureStatus' });
export const CountermeasureRefusalReason = z
  .enum(countermeasureRefusalReasons)
  .meta({ id: 'CountermeasureRefusalReason' });

/** What the centre signs and sends: the party verifies it with the centre's public key. */
export const CountermeasureInstruction = z
  .object({
    id: z.uuid(),
    kind: CountermeasureKind,
    partyKind: z.enum(['operator', 'bank']),
    partyCode: z.string(),
    value: z
      .string()
      .describe('The target in its normal form: E.164 number, domain, app package or hash, account'),
    reason: z.string(),
    requestedAt: datetime,
    dueAt: datetime.describe('When the SLA of the kind runs out'),
  })
  .meta({ id: 'CountermeasureInstruction' });
export type CountermeasureInstruction = z.infer<typeof CountermeasureInstruction>;

/**
 * What the centre signs and sends when it asks the party to lift an executed countermeasure: the party verifies
 * it with the centre's public key, as it verified the request, before it lifts anything. Signed once, when the
 * lift is asked.
 */
export const CountermeasureLiftInstruction = z
  .object({
    id: z.uuid().describe('This lift instruction’s own id (a nonce): never the countermeasure’s id'),
    action: z.literal('lift').describe('Always `lift`: a lift is never to be read as a request'),
    countermeasureId: z.uuid().describe('The countermeasure to lift: the `id` of its request instruction'),
    kind: CountermeasureKind,
    partyKind: z.enum(['operator', 'bank']),
    partyCode: z.string(),
    value: z.string().describe('The target in its normal form, as in the request'),
    reason: z.string().describe('Why the lift: an appeal granted, a number reassigned'),
    requestedAt: datetime.describe('When the centre asked the lift'),
    dueAt: datetime.describe('When the SLA of the kind runs out for the lift'),
  })
  .meta({ id: 'CountermeasureLiftInstruction' });
export type CountermeasureLiftInstruction = z.infer<typeof CountermeasureLiftInstruction>;

/** A lift instruction with its signature, as the request's instruction is carried beside its own. */
export const SignedCountermeasureLift = z
  .object({
    instruction: CountermeasureLiftInstruction,
    signature: z.string().describe('Ed25519 (or SM2), base64, over the canonical JSON of `instruction`'),
    keyId: z.string(),
    algorithm: SignatureAlgorithm.describe(
      'The signature’s algorithm, named as on bank instructions and `GET /api/bank/signing-key`',
    ),
  })
  .meta({ id: 'SignedCountermeasureLift' });
export type SignedCountermeasureLift = z.infer<typeof SignedCountermeasureLift>;

/** One step of a countermeasure's history (its requests, answers and lift), as recorded with the change. */
export const CountermeasureHistoryEntry = z
  .object({
    event: z
      .enum(['request', ...countermeasureEvents])
      .describe(
        'request: the centre asked it; acknowledge, execute, refuse, confirm_lift: the party; request_lift: the centre (or a granted appeal)',
      ),
    from: CountermeasureStatus,
    to: CountermeasureStatus,
    at: datetime,
    by: z
      .string()
      .nullable()
      .describe(
        'Who: the centre’s user or the party’s liaison or key (its name). A party reading it sees its own side’s names, null for the centre’s',
      ),
    refusalReason: CountermeasureRefusalReason.nullable(),
    note: z.string().nullable(),
    liftReason: z.string().nullable(),
  })
  .meta({ id: 'CountermeasureHistoryEntry' });
export type CountermeasureHistoryEntry = z.infer<typeof CountermeasureHistoryEntry>;

export const CountermeasureHistory = z
  .object({ items: z.array(CountermeasureHistoryEntry).describe('Oldest first') })
  .meta({ id: 'CountermeasureHistory' });
export type CountermeasureHistory = z.infer<typeof CountermeasureHistory>;

export const CountermeasureView = z
  .object({
    id: z.uuid(),
    batchId: z.uuid(),
    kind: CountermeasureKind,
    partyKind: z.enum(['operator', 'bank']),
    partyCode: z.string(),
    indicatorId: z.number().int().nullable().describe('The registry’s indicator it was requested on, if any'),
    value: z.string(),
    reason: z.string(),
    status: CountermeasureStatus,
    refusalReason: CountermeasureRefusalReason.nullable(),
    note: z.string().nullable(),
    liftReason: z.string().nullable(),
    requestedAt: datetime,
    acknowledgedAt: datetime.nullable(),
    executedAt: datetime.nullable(),
    refusedAt: datetime.nullable(),
    liftRequestedAt: datetime.nullable(),
    liftedAt: datetime.nullable(),
    dueAt: datetime.nullable().describe('While the party is awaited: when its SLA runs out'),
    isOverdue: z.boolean().describe('Past its SLA unanswered: the centre was alerted'),
    instruction: CountermeasureInstruction,
    signature: z.string().describe('Ed25519 (or SM2), base64, over the canonical JSON of `instruction`'),
    keyId: z.string(),
    algorithm: SignatureAlgorithm.describe(
      'The signature’s algorithm, named as on bank instructions and `GET /api/bank/signing-key`',
    ),
    lift: SignedCountermeasureLift.nullable().describe(
      'Once the centre asked the lift: its signed lift instruction (verify it before lifting); null before',
    ),
  })
  .meta({ id: 'Countermeasure' });
export type CountermeasureView = z.infer<typeof CountermeasureView>;

export const CountermeasureRequestItem = z
  .strictObject({
    kind: CountermeasureKind,
    indicatorId: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('An indicator of the registry (its kind must fit); or give `value`'),
    value: z.string().min(1).max(500).optional().describe('The target as written: it is normalised'),
    partyCode: z
      .string()
      .min(1)
      .max(64)
      .describe('The operator (`china_mobile`, …) or, for `restrict_account`, the bank code'),
    reason: z.string().trim().min(1).max(500).describe('Why (the case or finding), shown to the party'),
  })
  .meta({ id: 'CountermeasureRequestItem' });
export type CountermeasureRequestItem = z.infer<typeof CountermeasureRequestItem>;

export const CountermeasureRequest = z
  .strictObject({ items: z.array(CountermeasureRequestItem).min(1).max(500) })
  .meta({ id: 'CountermeasureRequest' });
export type CountermeasureRequest = z.infer<typeof CountermeasureRequest>;

export const CountermeasureBatchView = z
  .object({ batchId: z.uuid(), items: z.array(CountermeasureView) })
  .meta({ id: 'CountermeasureBatch' });
export type CountermeasureBatchView = z.infer<typeof CountermeasureBatchView>;

export const CountermeasureQuery = z.strictObject({
  status: z
    .enum(['open', ...countermeasureStatuses])
    .default('open')
    .describe('open: awaiting the party (requested, acknowledged, lift_requested)'),
  kind: CountermeasureKind.optional(),
  partyCode: z.string().min(1).max(64).optional().describe('The centre’s filter; a party sees its own only'),
  after: z
    .string()
    .regex(/^[1-9]\d{0,17}$/)
    .optional()
    .describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type CountermeasureQuery = z.infer<typeof CountermeasureQuery>;

export const CountermeasureList = z
  .object({ items: z.array(CountermeasureView), nextCursor: z.string().nullable() })
  .meta({ id: 'CountermeasureList' });
export type CountermeasureList = z.infer<typeof CountermeasureList>;

export const CountermeasureAnswer = z
  .strictObject({
    answer: z.enum(countermeasureAnswers),
    refusalReason: CountermeasureRefusalReason.optional().describe('Required with `refused`'),
    note: z.string().min(1).max(500).optional(),
  })
  .meta({ id: 'CountermeasureAnswer' });
export type CountermeasureAnswer = z.infer<typeof CountermeasureAnswer>;

export const CountermeasureBatchAnswer = z
  .strictObject({
    answers: z
      .array(CountermeasureAnswer.extend({ id: z.uuid() }).strict())
      .min(1)
      .max(500)
      .refine((a) => new Set(a.map((x) => x.id)).size === a.length, {
        message: 'names a countermeasure twice',
      }),
  })
  .meta({ id: 'CountermeasureBatchAnswer' });
export type CountermeasureBatchAnswer = z.infer<typeof CountermeasureBatchAnswer>;

export const CountermeasureBatchResult = z
  .object({
    results: z.array(
      z.object({
        id: z.uuid(),
        ok: z.boolean(),
        item: CountermeasureView.nullable(),
        error: z
          .object({ code: z.string(), message: z.string() })
          .nullable()
          .describe('Why this item was refused (`not_found`, `conflict`, `validation_failed`)'),
      }),
    ),
  })
  .meta({ id: 'CountermeasureBatchResult' });
export type CountermeasureBatchResult = z.infer<typeof CountermeasureBatchResult>;

export const CountermeasureLiftRequest = z
  .strictObject({
    reason: z.string().trim().min(1).max(500).describe('Why: an appeal granted, a number reassigned'),
  })
  .meta({ id: 'CountermeasureLiftRequest' });
export type CountermeasureLiftRequest = z.infer<typeof CountermeasureLiftRequest>;

export const CountermeasureFigures = z
  .object({
    parties: z.array(
      z.object({
        partyKind: z.enum(['operator', 'bank']),
        partyCode: z.string(),
        requested: z.number().int().min(0),
        executed: z.number().int().min(0),
        refused: z.number().int().min(0),
        open: z.number().int().min(0),
        overdue: z.number().int().min(0),
        phonesShut: z.number().int().min(0).describe('Numbers shut (executed `block_phone`, not lifted)'),
        medianExecuteMs: z.number().min(0).nullable().describe('Median time from request to execution'),
      }),
    ),
    phonesShut: z.number().int().min(0),
  })
  .meta({ id: 'CountermeasureFigures' });
export type CountermeasureFigures = z.infer<typeof CountermeasureFigures>;

declare module '@fanzha/domain' {
  interface EventMap {
    /** A countermeasure was requested or moved on its lifecycle: its party's console and the centre follow it. */
    'countermeasure.changed': { item: CountermeasureView; change: string };
  }
}

import {
  indicatorKinds,
  indicatorRiskLevels,
  indicatorStatuses,
  type IndicatorSnapshot,
} from '@fanzha/domain';
import { z } from 'zod';

const datetime = z.iso.datetime({ offset: true });

export const IndicatorKind = z.enum(indicatorKinds).meta({ id: 'IndicatorKind' });
export const IndicatorStatus = z.enum(indicatorStatuses).meta({ id: 'IndicatorStatus' });
export const IndicatorRiskLevel = z.enum(indicatorRiskLevels).meta({ id: 'IndicatorRiskLevel' });

/** An indicator (涉诈号码/网址/APP/账户) as analysts and supervisors see it. */
export const IndicatorView = z
  .object({
    id: z.number().int().min(1),
    kind: IndicatorKind,
    value: z
      .string()
      .describe('The normal form: E.164, registrable domain, package or hash, platform:id, digits'),
    status: IndicatorStatus.describe(
      'active: matched and warned on; shared: named by more reports than the threshold, kept but not matched ' +
        'until an analyst decides; suspended, not_fraud: decisions',
    ),
    riskLevel: IndicatorRiskLevel,
    reportCount: z.number().int().min(0).describe('Distinct submitted reports that name it'),
    answerCount: z
      .number()
      .int()
      .min(0)
      .describe('Bank answers that named it as an account the money went on to'),
    lossFen: z.number().int().min(0).describe("The naming reports' losses, in fen"),
    firstSeenAt: datetime,
    lastSeenAt: datetime,
    lastReportedAt: datetime.nullable(),
    hitCount: z.number().int().min(0).describe('Signals screened against it that hit'),
    updatedAt: datetime,
  })
  .meta({ id: 'Indicator' });
export type IndicatorView = z.infer<typeof IndicatorView>;

/** Where an indicator comes from: a report that named it, or a bank's answer that named it as an onward account. */
export const IndicatorSourceView = z
  .object({
    kind: z.enum(['report', 'bank_answer']),
    sourceId: z.uuid().describe('The report, or the answered stop-payment request'),
    reportId: z.uuid(),
    reportNumber: z.string(),
    lossFen: z.number().int().min(0).describe("The report's loss (0 for a bank answer)"),
    seenAt: datetime.describe('When the report was submitted or the bank answered'),
  })
  .meta({ id: 'IndicatorSource' });
export type IndicatorSourceView = z.infer<typeof IndicatorSourceView>;

export const IndicatorDetail = z
  .object({
    indicator: IndicatorView,
    sources: z.array(IndicatorSourceView).describe('Latest first, at most 200'),
    sourceCount: z.number().int().min(0).describe('Every source, also those past the first 200'),
  })
  .meta({ id: 'IndicatorDetail' });
export type IndicatorDetail = z.infer<typeof IndicatorDetail>;

export const IndicatorList = z
  .object({
    indicators: z.array(IndicatorView),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `after`, with the same filters, for the next page; null on the last page'),
  })
  .meta({ id: 'IndicatorList' });
export type IndicatorList = z.infer<typeof IndicatorList>;

export const IndicatorQuery = z.strictObject({
  kind: IndicatorKind.optional(),
  q: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe(
      'With `kind` only: a raw value (normalised first: 138 0013 8000 finds +8613800138000) or a prefix of ' +
        'the normal form; results in the normal form’s order',
    ),
  status: IndicatorStatus.optional(),
  after: z.string().min(1).max(600).optional().describe('The `nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type IndicatorQuery = z.infer<typeof IndicatorQuery>;

export const IndicatorIdParams = z.strictObject({
  // Checked by the service (a positive whole number below 10^15), so that a path of any shape answers with
  // the field's problem after the query's own checks.
  id: z.string().min(1).max(40).describe('The indicator’s number'),
});

export const IndicatorLookupQuery = z.strictObject({
  kind: IndicatorKind,
  value: z.string().min(1).max(500).describe('As written anywhere: it is normalised first'),
});
export type IndicatorLookupQuery = z.infer<typeof IndicatorLookupQuery>;

declare module '@fanzha/domain' {
  interface EventMap {
    /**
     * An indicator was created or changed (reports or answers named it, its status or risk level changed);
     * carries how it stands now. Screening keeps its matcher current from it.
     */
    'indicator.changed': IndicatorSnapshot;
  }
}

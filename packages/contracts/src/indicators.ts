import {
  indicatorDecisionActions,
  indicatorHistoryActions,
  indicatorKinds,
  indicatorRiskLevels,
  indicatorStatuses,
  type IndicatorSnapshot,
} from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';
import { sumFen } from './amounts';

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
      'active: matched and warned on; shared: named by more reports than the threshold (or so marked), kept ' +
        'but not matched until an analyst decides; suspended (its operator reported the number reassigned), ' +
        'not_fraud: decisions; merged: its sources went to `mergedInto`',
    ),
    riskLevel: IndicatorRiskLevel.describe(
      'Read off the risk score: high at 30 or more, medium at 10 or more',
    ),
    riskScore: z
      .number()
      .min(0)
      .describe(
        'The risk score as last computed (at the latest source, or the last regrade): each source adds a ' +
          'weight that halves every FANZHA_INDICATOR_HALF_LIFE_DAYS',
      ),
    mergedInto: z.number().int().min(1).nullable().describe('A merged indicator: the one it went to'),
    reportCount: z.number().int().min(0).describe('Distinct submitted reports that name it'),
    answerCount: z
      .number()
      .int()
      .min(0)
      .describe('Bank answers that named it as an account the money went on to'),
    lossFen: sumFen.describe("The naming reports' losses, in fen"),
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
  level: IndicatorRiskLevel.optional().describe('Only indicators of this risk level'),
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

const reason = z.string().trim().min(1).max(500).describe('Why: kept in the indicator’s history');

/** An analyst's decision on an indicator (研判). */
export const IndicatorDecisionRequest = z
  .strictObject({
    action: z
      .enum(
        indicatorDecisionActions.filter((a) => a !== 'reassigned') as [
          'not_fraud',
          'share',
          'unshare',
          'reinstate',
        ],
      )
      .describe(
        'not_fraud (from active, shared, suspended); share (from active); unshare (from shared); reinstate ' +
          '(from not_fraud, suspended)',
      ),
    reason,
  })
  .meta({ id: 'IndicatorDecisionRequest' });
export type IndicatorDecisionRequest = z.infer<typeof IndicatorDecisionRequest>;

/** Merges this indicator (the path's) into another of the same kind. */
export const IndicatorMergeRequest = z
  .strictObject({
    into: z.number().int().min(1).max(999_999_999_999_999).describe('The surviving indicator'),
    reason,
  })
  .meta({ id: 'IndicatorMergeRequest' });
export type IndicatorMergeRequest = z.infer<typeof IndicatorMergeRequest>;

/** An operator's report that a number was reassigned to a new subscriber (号码回收再分配). */
export const IndicatorReassignedRequest = z
  .strictObject({
    number: z.string().min(1).max(40).describe('The number, as written (normalised to E.164)'),
    reason,
  })
  .meta({ id: 'IndicatorReassignedRequest' });
export type IndicatorReassignedRequest = z.infer<typeof IndicatorReassignedRequest>;

export const IndicatorReassignedResult = z
  .object({
    number: z.string().describe('The number in E.164'),
    indicator: IndicatorView.nullable().describe(
      'The indicator now suspended; null when the registry has none',
    ),
  })
  .meta({ id: 'IndicatorReassignedResult' });
export type IndicatorReassignedResult = z.infer<typeof IndicatorReassignedResult>;

export const IndicatorDecisionView = z
  .object({
    id: z.uuid(),
    action: z.enum(indicatorHistoryActions),
    fromStatus: IndicatorStatus,
    toStatus: IndicatorStatus,
    reason: z.string(),
    otherIndicatorId: z
      .number()
      .int()
      .nullable()
      .describe('A merge: on the merged indicator, where it went; on the survivor, what came in'),
    decidedBy: z.string().describe('The person, or the operator’s system'),
    operator: z.string().nullable().describe('A reassignment: the operator that reported it'),
    decidedAt: datetime,
  })
  .meta({ id: 'IndicatorDecision' });
export type IndicatorDecisionView = z.infer<typeof IndicatorDecisionView>;

export const IndicatorHistory = z
  .object({ decisions: z.array(IndicatorDecisionView).describe('Latest first, at most 200') })
  .meta({ id: 'IndicatorHistory' });
export type IndicatorHistory = z.infer<typeof IndicatorHistory>;

declare module '@fanzha/domain' {
  interface EventMap {
    /**
     * An indicator was created or changed (reports or answers named it, its status or risk level changed);
     * carries how it stands now. Screening keeps its matcher current from it.
     */
    'indicator.changed': IndicatorSnapshot;
    /**
     * A chunk of an import created or changed indicators (risk raised, seen earlier or later): one event for
     * the chunk, naming them by id — an import of millions is thousands of these, not millions of
     * `indicator.changed`. Screening reads the created ones and matches them from then on. Imports never
     * change a status.
     */
    'indicator.imported': { importId: string; created: number[]; changed: number[] };
  }
}

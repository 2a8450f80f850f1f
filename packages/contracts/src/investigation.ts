import { clusterStatuses, linkKinds } from '@fanzha/domain';
import { z } from 'zod';
import { datetime } from './instant';
import { sumFen } from './amounts';

const reason = z.string().trim().min(1).max(500).describe('Why: kept in the cluster’s history and the audit');

// Case linking (串并案): clusters of reports that share a fraud indicator, the analysts' decisions on them.

export const ClusterStatus = z.enum(clusterStatuses).meta({ id: 'ClusterStatus' });
export type ClusterStatus = z.infer<typeof ClusterStatus>;
export const LinkKind = z.enum(linkKinds).meta({ id: 'LinkKind' });
export type LinkKind = z.infer<typeof LinkKind>;

export const ClusterQuery = z.strictObject({
  status: ClusterStatus.optional().describe('Only clusters in this status (default: all but merged)'),
  alerted: z
    .enum(['true', 'false'])
    .optional()
    .describe('Only clusters that grew past the alert threshold (or not)'),
  minReports: z.coerce.number().int().min(2).max(1_000_000).optional().describe('At least this many reports'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.string().max(100).optional().describe('The `nextCursor` of the previous page (same filters)'),
});
export type ClusterQuery = z.infer<typeof ClusterQuery>;

/** Who a cluster was handed to: an investigation unit (a county's criminal police, or the centre's own). */
export const ClusterHandOff = z
  .object({
    unitKind: z.enum(['county', 'centre']),
    unitCode: z.string(),
    dueAt: datetime,
    at: datetime,
  })
  .meta({ id: 'ClusterHandOff' });

export const ClusterSummary = z
  .object({
    id: z.uuid(),
    status: ClusterStatus,
    reportCount: z.number().int(),
    /** When it grew past FANZHA_CLUSTER_ALERT_REPORTS reports; null if it has not. */
    alertedAt: datetime.nullable(),
    /** The cluster it was merged into (status merged). */
    mergedInto: z.uuid().nullable(),
    handOff: ClusterHandOff.nullable(),
    createdAt: datetime,
    updatedAt: datetime,
  })
  .meta({ id: 'ClusterSummary' });
export type ClusterSummary = z.infer<typeof ClusterSummary>;

/** A cluster's profile figures as the list carries them, from its reports as they stand (the detail has the rest). */
export const ClusterFigures = z
  .object({
    reportCount: z.number().int(),
    /** Each victim once (by blind index); a report without a known victim counts as one. */
    victimCount: z.number().int(),
    lossFen: sumFen.describe('Total loss of its reports, in fen'),
    countyCount: z.number().int(),
    fraudTypeCount: z.number().int(),
    firstReportedAt: datetime.nullable(),
    lastReportedAt: datetime.nullable(),
  })
  .meta({ id: 'ClusterFigures' });
export type ClusterFigures = z.infer<typeof ClusterFigures>;

export const ClusterListItem = ClusterSummary.extend({ figures: ClusterFigures }).meta({
  id: 'ClusterListItem',
});
export type ClusterListItem = z.infer<typeof ClusterListItem>;

export const ClusterList = z
  .object({ clusters: z.array(ClusterListItem), nextCursor: z.string().nullable() })
  .meta({ id: 'ClusterList' });
export type ClusterList = z.infer<typeof ClusterList>;

/** The gang's profile (团伙画像): computed from the cluster's reports as they stand. */
export const ClusterProfileView = z
  .object({
    reportCount: z.number().int(),
    victimCount: z.number().int(),
    lossFen: sumFen.describe('Total loss of its reports, in fen'),
    counties: z.array(z.object({ code: z.string(), reports: z.number().int() })),
    fraudTypes: z.array(z.object({ code: z.string(), reports: z.number().int() })),
    firstReportedAt: datetime.nullable(),
    lastReportedAt: datetime.nullable(),
    sharedIndicators: z.array(z.object({ kind: LinkKind, value: z.string(), reports: z.number().int() })),
    accountsByLayer: z.array(z.object({ layer: z.number().int(), accounts: z.array(z.string()) })),
  })
  .meta({ id: 'ClusterProfile' });
export type ClusterProfileView = z.infer<typeof ClusterProfileView>;

export const ClusterReport = z
  .object({
    id: z.uuid(),
    number: z.string(),
    countyCode: z.string().nullable(),
    fraudType: z.string().nullable(),
    lossFen: z.number().int(),
    reportedAt: datetime,
  })
  .meta({ id: 'ClusterReport' });

/** One link with its evidence: the value both reports named. A severed link was cut by a split. */
export const ReportLinkView = z
  .object({
    a: z.uuid(),
    b: z.uuid(),
    kind: LinkKind,
    value: z.string(),
    status: z.enum(['active', 'severed']),
    linkedAt: datetime,
  })
  .meta({ id: 'ReportLink' });
export type ReportLinkView = z.infer<typeof ReportLinkView>;

export const clusterEventKinds = [
  'created',
  'grew',
  'merged',
  'absorbed',
  'alerted',
  'confirmed',
  'split',
  'split_off',
  'handed_off',
  'link_severed',
] as const;
export const ClusterEventView = z
  .object({
    id: z.uuid(),
    kind: z.enum(clusterEventKinds),
    at: datetime,
    /** The analyst who decided (username); null for the linker. */
    by: z.string().nullable(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ClusterEvent' });
export type ClusterEventView = z.infer<typeof ClusterEventView>;

export const ClusterDetail = z
  .object({
    cluster: ClusterSummary,
    profile: ClusterProfileView,
    reports: z.array(ClusterReport),
    links: z.array(ReportLinkView),
    history: z.array(ClusterEventView),
  })
  .meta({ id: 'ClusterDetail' });
export type ClusterDetail = z.infer<typeof ClusterDetail>;

export const ConfirmClusterRequest = z
  .strictObject({ reason: reason.optional() })
  .meta({ id: 'ConfirmClusterRequest' });
export type ConfirmClusterRequest = z.infer<typeof ConfirmClusterRequest>;

export const SplitClusterRequest = z
  .strictObject({
    reportIds: z.array(z.uuid()).min(1).max(500).describe('The reports that leave the cluster (together)'),
    reason,
  })
  .meta({ id: 'SplitClusterRequest' });
export type SplitClusterRequest = z.infer<typeof SplitClusterRequest>;

export const MergeClustersRequest = z
  .strictObject({
    clusterIds: z.array(z.uuid()).min(2).max(50).describe('The clusters to merge; the largest stays'),
    reason,
  })
  .meta({ id: 'MergeClustersRequest' });
export type MergeClustersRequest = z.infer<typeof MergeClustersRequest>;

export const HandOffClusterRequest = z
  .strictObject({
    unitKind: z.enum(['county', 'centre']).describe('A county’s police (刑侦), or the centre’s own unit'),
    unitCode: z
      .string()
      .regex(/^(\d{6}|centre)$/)
      .describe('The county’s GB/T 2260 code, or `centre`'),
    dueAt: datetime.describe('When the unit must have reported back'),
    reason,
  })
  .meta({ id: 'HandOffClusterRequest' });
export type HandOffClusterRequest = z.infer<typeof HandOffClusterRequest>;

/** What a decision answers: the cluster acted on (for a merge, the one that stayed); a split names the new one. */
export const ClusterDecisionResult = z
  .object({
    cluster: ClusterSummary,
    /** A split: the cluster the reports left in (null when one report left alone, which is no cluster). */
    splitOff: z.uuid().nullable(),
  })
  .meta({ id: 'ClusterDecisionResult' });
export type ClusterDecisionResult = z.infer<typeof ClusterDecisionResult>;

declare module '@fanzha/domain' {
  interface EventMap {
    /** A cluster was made, grew, merged, was confirmed, split, alerted or handed off. */
    'cluster.changed': { cluster: ClusterSummary; change: (typeof clusterEventKinds)[number] };
  }
}

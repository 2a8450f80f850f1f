import type { ClusterDetail, MoneyTraceView } from '@fanzha/contracts';

// The contracts' shapes the adapters draw, named once for the feature.
export type { AllocationRule, ClusterSummary, ReportLinkView, ClusterEventView } from '@fanzha/contracts';
export type ClusterReportView = ClusterDetail['reports'][number];
export type TraceView = MoneyTraceView;
export type TracedFlowView = MoneyTraceView['flows'][number];
export type TracedAccountView = MoneyTraceView['accounts'][number];

export const ALLOCATION_RULES = ['fifo', 'lifo', 'proportional'] as const;

// Draft shapes of the investigation and money-graph contracts, until their routes land; the adapters take
// only the fields they draw, so the contracts' types fit them by structure.

export type AllocationRule = 'fifo' | 'lifo' | 'proportional';
export const ALLOCATION_RULES: readonly AllocationRule[] = ['fifo', 'lifo', 'proportional'];

/** One shared value that links two reports: its kind (phone, account, domain …) and its (masked) value. */
export interface EvidenceItem {
  kind: string;
  value: string;
}

export interface ClusterLinkView {
  id: string;
  reportA: string;
  reportB: string;
  evidence: readonly EvidenceItem[];
  status: string;
}

export interface ClusterReportView {
  id: string;
  number: string;
  lossFen: number;
  reportedAt: string;
}

export interface TracedFlowView {
  from: string;
  to: string;
  depth: number;
  at: string;
  transferFen: number;
  tracedFen: number;
}

export interface AccountShareView {
  source: string;
  heldFen: number;
  share: number;
}

export interface TracedAccountView {
  account: string;
  depth: number;
  receivedFen: number;
  passedOnFen: number;
  heldFen: number;
  shares?: readonly AccountShareView[] | undefined;
}

export interface TraceView {
  rule: AllocationRule;
  sources: readonly string[];
  flows: readonly TracedFlowView[];
  accounts: readonly TracedAccountView[];
  truncated: boolean;
}

import type { AllocationRule } from '@fanzha/contracts';

/**
 * Everything a case pack (案件材料包) shows about one cluster (串并案件), gathered by the service from the
 * case-linking, money-graph, stop-payment and freeze modules; the builders turn it into the workbook, the
 * chart and the PDF without any I/O. Amounts are integer fen; times are instants (shown in China time).
 */
export interface CasePackAccount {
  /** `${bankCode}:${number}`, or `victim:${reportId}` for a victim's own money. */
  key: string;
  bankCode: string;
  bankName: string | null;
  number: string;
  holder: string | null;
}

export interface CasePackFacts {
  cluster: {
    id: string;
    /** The cluster's number or name as the analysts know it. */
    label: string;
    status: string;
    reports: number;
    victims: number;
    lossFen: number;
    counties: string[];
    fraudTypes: string[];
    firstAt: Date | null;
    lastAt: Date | null;
    /** The indicators the reports share (the evidence of the links), most shared first. */
    indicators: Array<{ kind: string; value: string; reports: number }>;
  };
  reports: Array<{
    id: string;
    number: string;
    receivedAt: Date;
    county: string;
    fraudType: string;
    lossFen: number;
  }>;
  /** The allocation rule the trace used (FIFO, LIFO or proportional). */
  rule: AllocationRule;
  /** Accounts the victims' money reached, with the layer (1 = the victims' first transfer). */
  accounts: Array<
    CasePackAccount & {
      layer: number;
      receivedFen: number;
      passedOnFen: number;
      heldFen: number;
      /** How many victims' money still sits in it (pooled funds when more than one); null: not worked out. */
      sources: number | null;
    }
  >;
  /** Traced transfers: the whole amount and the part attributed to the cluster's victims under the rule. */
  transfers: Array<{
    from: string;
    to: string;
    depth: number;
    at: Date;
    transferFen: number;
    tracedFen: number;
  }>;
  /** The victims' own accounts (keys `victim:…`), named after their reports. */
  sources: Array<{ key: string; reportNumber: string }>;
  measures: Array<{
    kind: MeasureKind;
    reportNumber: string;
    account: CasePackAccount;
    layer: number;
    /** In Chinese, as the pack shows it. */
    status: string;
    requestedFen: number | null;
    /** What holds or moved as the bank confirmed: stopped, frozen now, released or returned. */
    effectiveFen: number;
    document: string | null;
    at: Date | null;
  }>;
  /** The trace met a depth or hub cap: the pack says so. */
  isTruncated: boolean;
  generatedAt: Date;
}

export type MeasureKind = 'stop' | 'freeze' | 'release' | 'return';
export const measureKindZh: Record<MeasureKind, string> = {
  stop: '紧急止付',
  freeze: '冻结',
  release: '解冻',
  return: '资金返还',
};
export const ruleZh: Record<AllocationRule, string> = {
  fifo: '先进先出 (FIFO)',
  lifo: '后进先出 (LIFO)',
  proportional: '按比例',
};

const OFFSET_MS = 8 * 3_600_000;
/** `YYYY-MM-DD HH:mm`, China time. */
export const chinaTime = (at: Date | null): string =>
  at === null ? '—' : new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

export const yuanText = (fen: number) =>
  `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** How an account reads in the pack: `工商银行 6222…1234`, or `受害人（报案 …）`. */
export function accountLabel(facts: Pick<CasePackFacts, 'accounts' | 'sources'>, key: string): string {
  const source = facts.sources.find((s) => s.key === key);
  if (source) return `受害人（${source.reportNumber}）`;
  const a = facts.accounts.find((x) => x.key === key);
  if (!a) return key;
  return `${a.bankName ?? a.bankCode} ${a.number}`;
}

export interface PackTotals {
  lossFen: number;
  /** Victims' money traced into the first layer. */
  firstLayerFen: number;
  heldFen: number;
  stoppedFen: number;
  frozenFen: number;
  releasedFen: number;
  returnedFen: number;
}

export function packTotals(f: CasePackFacts): PackTotals {
  const sum = (kind: MeasureKind) =>
    f.measures.filter((m) => m.kind === kind).reduce((a, m) => a + m.effectiveFen, 0);
  return {
    lossFen: f.reports.reduce((a, r) => a + r.lossFen, 0),
    firstLayerFen: f.transfers.filter((t) => t.depth === 1).reduce((a, t) => a + t.tracedFen, 0),
    heldFen: f.accounts.reduce((a, x) => a + x.heldFen, 0),
    stoppedFen: sum('stop'),
    frozenFen: sum('freeze'),
    releasedFen: sum('release'),
    returnedFen: sum('return'),
  };
}

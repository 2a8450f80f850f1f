import type { LinkKind, ReportLink } from './link-rules';

/** What the profile needs of one report of a cluster. */
export interface ClusterReportFacts {
  reportId: string;
  number: string;
  /** The victim's blind index (the same person on two reports counts once); null when unknown. */
  victimKey: string | null;
  lossFen: number;
  countyCode: string | null;
  fraudType: string | null;
  /** When it was reported (ISO). */
  reportedAt: string;
}

export interface ClusterProfile {
  reportCount: number;
  victimCount: number;
  lossFen: number;
  counties: Array<{ code: string; reports: number }>;
  fraudTypes: Array<{ code: string; reports: number }>;
  firstReportedAt: string | null;
  lastReportedAt: string | null;
  /** The values the links rest on, with how many of the cluster's reports they join. */
  sharedIndicators: Array<{ kind: LinkKind; value: string; reports: number }>;
  /** Accounts by the layer the money reached them (1: the victims' payees; 2+: onward accounts in banks' answers). */
  accountsByLayer: Array<{ layer: number; accounts: string[] }>;
}

const tally = (values: Array<string | null>) => {
  const m = new Map<string, number>();
  for (const v of values) if (v) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m]
    .map(([code, reports]) => ({ code, reports }))
    .sort((a, b) => b.reports - a.reports || (a.code < b.code ? -1 : 1));
};

/** A cluster's profile (团伙画像) from its reports, its active links and the accounts its reports' money reached. */
export function clusterProfile(
  reports: readonly ClusterReportFacts[],
  links: readonly ReportLink[],
  accounts: ReadonlyArray<{ account: string; layer: number }>,
): ClusterProfile {
  const victims = new Set<string>();
  let unknownVictims = 0;
  for (const r of reports) {
    if (r.victimKey) victims.add(r.victimKey);
    else unknownVictims++;
  }
  const times = reports.map((r) => r.reportedAt).sort();
  const shared = new Map<string, { kind: LinkKind; value: string; reports: Set<string> }>();
  for (const l of links) {
    const k = `${l.kind}:${l.value}`;
    const e = shared.get(k) ?? { kind: l.kind, value: l.value, reports: new Set<string>() };
    e.reports.add(l.a);
    e.reports.add(l.b);
    shared.set(k, e);
  }
  const layers = new Map<number, Set<string>>();
  for (const a of accounts) {
    const s = layers.get(a.layer) ?? new Set<string>();
    s.add(a.account);
    layers.set(a.layer, s);
  }
  return {
    reportCount: reports.length,
    victimCount: victims.size + unknownVictims,
    lossFen: reports.reduce((s, r) => s + r.lossFen, 0),
    counties: tally(reports.map((r) => r.countyCode)),
    fraudTypes: tally(reports.map((r) => r.fraudType)),
    firstReportedAt: times[0] ?? null,
    lastReportedAt: times.at(-1) ?? null,
    sharedIndicators: [...shared.values()]
      .map((e) => ({ kind: e.kind, value: e.value, reports: e.reports.size }))
      .sort((a, b) => b.reports - a.reports || (`${a.kind}:${a.value}` < `${b.kind}:${b.value}` ? -1 : 1)),
    accountsByLayer: [...layers]
      .sort((a, b) => a[0] - b[0])
      .map(([layer, s]) => ({ layer, accounts: [...s].sort() })),
  };
}

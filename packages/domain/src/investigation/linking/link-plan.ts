import {
  distinctValues,
  isOverShared,
  linkOf,
  valueKey,
  type LinkKind,
  type LinkValue,
  type ReportLink,
} from './link-rules';
import { UnionFind } from './union-find';

/** A report that already names one of the new report's values, as the linker's index lookup finds it. */
export interface LinkCandidate {
  kind: LinkKind;
  value: string;
  reportId: string;
  /** Its cluster, or null while it is linked to nothing. */
  clusterId: string | null;
  /** Its cluster's report count (0 when it has none). */
  clusterReports: number;
  /** When its cluster was handed off to an investigation unit (absent or null when it was not). */
  clusterHandedOffAt?: Date | null;
  /** The link between it and the new report over this value, if one was recorded: a severed one stays severed. */
  linkStatus: 'active' | 'severed' | null;
}

/** What the linker does for one report. */
export type LinkDecision =
  | { kind: 'none' }
  /** A new cluster of the report and the unclustered reports it links to. */
  | { kind: 'create'; members: string[]; reportCount: number }
  /**
   * The report (and unclustered reports it links to) join `survivor`; `absorbed` clusters merge into it
   * (their reports move). `reportCount` is the survivor's count after. `keptApart`: handed-off clusters it
   * also links to, which stay as they are (their unit's work is not taken from it by a merge).
   */
  | {
      kind: 'join';
      survivor: string;
      absorbed: string[];
      added: string[];
      reportCount: number;
      before: number;
      keptApart: string[];
    };

export interface LinkPlan {
  /** Links to record, with their evidence. */
  links: ReportLink[];
  /** Values skipped by the over-shared guard, with how many reports name them (at least). */
  skipped: Array<LinkValue & { naming: number }>;
  decision: LinkDecision;
}

/** Of clusters to be merged, the one that stays: the largest, then the smallest id (so any order agrees). */
export function chooseSurvivor(clusters: ReadonlyArray<{ id: string; reportCount: number }>): string {
  let best = clusters[0]!;
  for (const c of clusters)
    if (c.reportCount > best.reportCount || (c.reportCount === best.reportCount && c.id < best.id)) best = c;
  return best.id;
}

/** A cluster the report touches, as the plan weighs it. */
interface Touched {
  id: string;
  reportCount: number;
  handedOffAt: Date | null;
}

/**
 * Which cluster the report joins and which merge into it. A handed-off cluster is a unit's investigation (a
 * task with a deadline): it is never absorbed, and the report joins one — its own when it is in one, else the
 * first handed off (then the smallest id: a choice growth does not change) —, keeping any other apart. Among
 * clusters not handed off the largest stays (`chooseSurvivor`) and takes the others.
 */
function survivorOf(
  clusters: readonly Touched[],
  own: string | null,
): { survivor: string; absorbed: string[]; keptApart: string[] } {
  const handedOff = clusters.filter((c) => c.handedOffAt !== null);
  const ownCluster = clusters.find((c) => c.id === own);
  let survivor: string;
  if (handedOff.length === 0) survivor = chooseSurvivor(clusters);
  else if (ownCluster?.handedOffAt) survivor = ownCluster.id;
  else
    survivor = handedOff.reduce((a, c) =>
      c.handedOffAt!.getTime() < a.handedOffAt!.getTime() ||
      (c.handedOffAt!.getTime() === a.handedOffAt!.getTime() && c.id < a.id)
        ? c
        : a,
    ).id;
  const others = clusters.filter((c) => c.id !== survivor);
  const ids = (list: readonly Touched[]) => list.map((c) => c.id).sort();
  return {
    survivor,
    absorbed: ids(others.filter((c) => c.handedOffAt === null)),
    keptApart: ids(others.filter((c) => c.handedOffAt !== null)),
  };
}

/**
 * Links one report against the reports that share its values (incremental: no other report is looked at).
 * `candidates` are the rows of the index for its values, the report itself included when it is there;
 * a value with more than `sharedLimit` reports naming it (the report included) is skipped. A pair an analyst
 * severed (split) is not linked again over that value.
 */
export function planLink(input: {
  reportId: string;
  values: readonly LinkValue[];
  /** The report's cluster now (a report named again, or a bank's answer adding mule accounts). */
  ownCluster: { id: string; reportCount: number; handedOffAt?: Date | null } | null;
  candidates: readonly LinkCandidate[];
  sharedLimit: number;
}): LinkPlan {
  const { reportId } = input;
  const values = distinctValues(input.values);
  const wanted = new Set(values.map(valueKey));
  const byValue = new Map<string, LinkCandidate[]>();
  for (const c of input.candidates) {
    const k = valueKey(c);
    if (!wanted.has(k)) continue;
    const list = byValue.get(k) ?? [];
    if (!list.some((x) => x.reportId === c.reportId)) list.push(c);
    byValue.set(k, list);
  }
  const links: ReportLink[] = [];
  const skipped: LinkPlan['skipped'] = [];
  const joined = new Map<string, LinkCandidate>();
  for (const v of values) {
    const list = byValue.get(valueKey(v)) ?? [];
    const naming = list.length + (list.some((c) => c.reportId === reportId) ? 0 : 1);
    if (isOverShared(naming, input.sharedLimit)) {
      skipped.push({ ...v, naming });
      continue;
    }
    for (const c of list) {
      if (c.reportId === reportId || c.linkStatus === 'severed') continue;
      if (c.linkStatus === null) links.push(linkOf(reportId, c.reportId, v)!);
      joined.set(c.reportId, c);
    }
  }
  links.sort((x, y) => (x.a + x.b + x.kind + x.value < y.a + y.b + y.kind + y.value ? -1 : 1));
  const clusters = new Map<string, Touched>();
  const own = input.ownCluster;
  if (own)
    clusters.set(own.id, { id: own.id, reportCount: own.reportCount, handedOffAt: own.handedOffAt ?? null });
  const loose: string[] = [];
  for (const c of joined.values()) {
    if (c.clusterId)
      clusters.set(c.clusterId, {
        id: c.clusterId,
        reportCount: c.clusterReports,
        handedOffAt: c.clusterHandedOffAt ?? null,
      });
    else loose.push(c.reportId);
  }
  loose.sort();
  if (clusters.size === 0) {
    if (loose.length === 0) return { links, skipped, decision: { kind: 'none' } };
    const members = [reportId, ...loose].sort();
    return { links, skipped, decision: { kind: 'create', members, reportCount: members.length } };
  }
  const { survivor, absorbed, keptApart } = survivorOf([...clusters.values()], own?.id ?? null);
  // A report already in a cluster kept apart from the survivor stays where it is.
  const added = [...(own ? [] : [reportId]), ...loose].sort();
  if (absorbed.length === 0 && added.length === 0) return { links, skipped, decision: { kind: 'none' } };
  const before = clusters.get(survivor)!.reportCount;
  const reportCount =
    [survivor, ...absorbed].reduce((sum, id) => sum + clusters.get(id)!.reportCount, 0) + added.length;
  return {
    links,
    skipped,
    decision: { kind: 'join', survivor, absorbed, added, reportCount, before, keptApart },
  };
}

/**
 * The whole rule over a set of reports at once: the links (with evidence), the clusters (two reports or
 * more) and the values the guard skipped. The same for any order of the reports.
 */
export function linkAll(
  reports: ReadonlyArray<{ reportId: string; values: readonly LinkValue[] }>,
  sharedLimit: number,
): { links: ReportLink[]; clusters: string[][]; skipped: Array<LinkValue & { naming: number }> } {
  const naming = new Map<string, { v: LinkValue; reports: Set<string> }>();
  for (const r of reports)
    for (const v of distinctValues(r.values)) {
      const k = valueKey(v);
      const e = naming.get(k) ?? { v, reports: new Set<string>() };
      e.reports.add(r.reportId);
      naming.set(k, e);
    }
  const uf = new UnionFind();
  const links: ReportLink[] = [];
  const skipped: Array<LinkValue & { naming: number }> = [];
  for (const { v, reports: ids } of naming.values()) {
    if (isOverShared(ids.size, sharedLimit)) {
      skipped.push({ ...v, naming: ids.size });
      continue;
    }
    const sorted = [...ids].sort();
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) links.push(linkOf(sorted[i]!, sorted[j]!, v)!);
      if (i > 0) uf.union(sorted[0]!, sorted[i]!);
    }
  }
  const key = (l: ReportLink) => `${l.a}|${l.b}|${l.kind}|${l.value}`;
  links.sort((x, y) => (key(x) < key(y) ? -1 : 1));
  skipped.sort((x, y) => (valueKey(x) < valueKey(y) ? -1 : 1));
  return { links, clusters: uf.groups().filter((g) => g.length > 1), skipped };
}

import type { EChartsOption } from 'echarts';
import type { ClusterReportView, ReportLinkView } from './analysis-types';

export type LinkNodeKind = 'report' | 'indicator' | 'account';
export const LINK_NODE_KINDS: readonly LinkNodeKind[] = ['report', 'indicator', 'account'];

export interface LinkChartText {
  kind: (kind: LinkNodeKind) => string;
  /** An evidence kind (phone, account, domain …) as people read it. */
  evidence: (kind: string) => string;
  amount: (fen: number) => string;
}

export interface LinkNode {
  id: string;
  kind: LinkNodeKind;
  name: string;
  /** Reports: the loss; indicators: how many of the cluster's reports share it. */
  weight: number;
  reportId?: string;
}

export interface LinkEdge {
  id: string;
  source: string;
  target: string;
  evidenceKind: string;
  /** The links (report pairs) this edge is evidence for. */
  linkIds: string[];
}

/** A link's stable name: the two reports and the value they share. */
export const linkId = (l: Pick<ReportLinkView, 'a' | 'b' | 'kind' | 'value'>) =>
  `${l.a}|${l.b}|${l.kind}|${l.value}`;

const reportNode = (id: string) => `report:${id}`;
const indicatorNode = (kind: string, value: string) => `${kind}:${value}`;

/**
 * The cluster as a graph: its reports and the values they share (accounts apart from other indicators),
 * an edge from each report to each value that links it, carrying the links it is evidence for. Severed
 * links (cut by a split) are evidence on record, not drawn; a report left with none stays on the chart alone.
 */
export function linkGraph(
  reports: readonly ClusterReportView[],
  links: readonly ReportLinkView[],
): { nodes: LinkNode[]; edges: LinkEdge[] } {
  const nodes = new Map<string, LinkNode>();
  for (const r of reports)
    nodes.set(reportNode(r.id), {
      id: reportNode(r.id),
      kind: 'report',
      name: r.number,
      weight: r.lossFen,
      reportId: r.id,
    });
  const edges = new Map<string, LinkEdge>();
  const sharers = new Map<string, Set<string>>();
  for (const link of links) {
    if (link.status !== 'active') continue;
    const id = linkId(link);
    const target = indicatorNode(link.kind, link.value);
    if (!nodes.has(target))
      nodes.set(target, {
        id: target,
        kind: link.kind === 'account' ? 'account' : 'indicator',
        name: link.value,
        weight: 0,
      });
    for (const reportId of [link.a, link.b]) {
      const source = reportNode(reportId);
      if (!nodes.has(source)) continue;
      const edgeId = `${source}>${target}`;
      const edge = edges.get(edgeId);
      if (edge) edge.linkIds.push(id);
      else edges.set(edgeId, { id: edgeId, source, target, evidenceKind: link.kind, linkIds: [id] });
      const set = sharers.get(target) ?? new Set<string>();
      set.add(reportId);
      sharers.set(target, set);
    }
  }
  for (const [id, set] of sharers) {
    const node = nodes.get(id);
    if (node) node.weight = set.size;
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const SYMBOL: Record<LinkNodeKind, string> = { report: 'circle', indicator: 'diamond', account: 'rect' };

/** The link chart: a force layout, reports sized by loss, shared values by how many reports share them. */
export function linkChartOption(
  reports: readonly ClusterReportView[],
  links: readonly ReportLinkView[],
  text: LinkChartText,
): EChartsOption {
  const { nodes, edges } = linkGraph(reports, links);
  const maxLoss = Math.max(1, ...nodes.filter((n) => n.kind === 'report').map((n) => n.weight));
  const size = (n: LinkNode) =>
    n.kind === 'report'
      ? 18 + Math.round(22 * Math.sqrt(n.weight / maxLoss))
      : 12 + 4 * Math.min(n.weight, 6);
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'item' },
    legend: { top: 0, data: LINK_NODE_KINDS.map(text.kind) },
    series: [
      {
        id: 'links',
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        top: 32,
        force: { repulsion: 220, edgeLength: [60, 120], gravity: 0.08 },
        categories: LINK_NODE_KINDS.map((k) => ({ name: text.kind(k), symbol: SYMBOL[k] })),
        label: { show: true, position: 'right', fontSize: 11 },
        edgeLabel: { show: true, fontSize: 10 },
        lineStyle: { color: 'source', opacity: 0.7, width: 1.5 },
        data: nodes.map((n) => ({
          id: n.id,
          name: n.name,
          category: LINK_NODE_KINDS.indexOf(n.kind),
          symbolSize: size(n),
          value: n.weight,
          tooltip: {
            formatter:
              n.kind === 'report'
                ? `${text.kind('report')} ${n.name} · ${text.amount(n.weight)}`
                : `${text.kind(n.kind)} ${n.name} · ${n.weight}`,
          },
        })),
        links: edges.map((e) => ({
          id: e.id,
          source: e.source,
          target: e.target,
          label: { show: true, formatter: text.evidence(e.evidenceKind) },
        })),
      },
    ],
  };
}

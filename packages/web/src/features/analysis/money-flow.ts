import type { EChartsOption } from 'echarts';
import type { TraceView, TracedAccountView, TracedFlowView } from './analysis-types';

/** How the money view names things; the page passes translated, formatted text. */
export interface FlowText {
  account: (key: string) => string;
  amount: (fen: number) => string;
  time: (iso: string) => string;
  layer: (n: number) => string;
  /** e.g. "留存 ¥1,000.00". */
  held: (amount: string) => string;
}

/** One band of the Sankey: every traced transfer between two accounts at one layer, summed. */
export interface FlowBand {
  id: string;
  source: string;
  target: string;
  from: string;
  to: string;
  depth: number;
  tracedFen: number;
  transferFen: number;
  firstAt: string;
  lastAt: string;
  count: number;
}

/**
 * A node is an account at a layer (`key|layer`): the same account reached at layers 2 and 4 is drawn twice,
 * so every band goes one layer right and the diagram is acyclic, as a Sankey must be, even when money
 * goes round in a circle.
 */
export const flowNodeId = (account: string, layer: number) => `${account}|${layer}`;

/** Traced transfers grouped into bands (from, to, layer), in the order of the layer, then the amount. */
export function flowBands(flows: readonly TracedFlowView[]): FlowBand[] {
  const bands = new Map<string, FlowBand>();
  for (const f of flows) {
    if (f.tracedFen <= 0) continue;
    const source = flowNodeId(f.from, f.depth - 1);
    const target = flowNodeId(f.to, f.depth);
    const id = `${source}>${target}`;
    const band = bands.get(id);
    if (band) {
      band.tracedFen += f.tracedFen;
      band.transferFen += f.transferFen;
      band.count += 1;
      if (f.at < band.firstAt) band.firstAt = f.at;
      if (f.at > band.lastAt) band.lastAt = f.at;
    } else {
      bands.set(id, {
        id,
        source,
        target,
        from: f.from,
        to: f.to,
        depth: f.depth,
        tracedFen: f.tracedFen,
        transferFen: f.transferFen,
        firstAt: f.at,
        lastAt: f.at,
        count: 1,
      });
    }
  }
  return [...bands.values()].sort((a, b) => a.depth - b.depth || b.tracedFen - a.tracedFen);
}

/**
 * Which sources' money reaches each account along the traced flows (those that carry any of it). An account
 * two or more victims' money reaches is a pool: its shares are worth asking for.
 */
export function sourcesReaching(
  flows: readonly TracedFlowView[],
  sources: readonly string[],
): Map<string, Set<string>> {
  const out = new Map<string, TracedFlowView[]>();
  for (const f of flows) if (f.tracedFen > 0) out.set(f.from, [...(out.get(f.from) ?? []), f]);
  const reached = new Map<string, Set<string>>();
  for (const source of sources) {
    const seen = new Set<string>([source]);
    const queue = [source];
    while (queue.length) {
      const account = queue.shift()!;
      for (const f of out.get(account) ?? []) {
        if (seen.has(f.to)) continue;
        seen.add(f.to);
        queue.push(f.to);
        const set = reached.get(f.to) ?? new Set<string>();
        set.add(source);
        reached.set(f.to, set);
      }
    }
  }
  return reached;
}

/** The bank accounts where several sources' money meets and some is still held, shallowest and fullest first. */
export function pooledAccounts(
  trace: Pick<TraceView, 'flows' | 'accounts' | 'sources'>,
): TracedAccountView[] {
  const reached = sourcesReaching(trace.flows, trace.sources);
  return trace.accounts
    .filter((a) => a.bankCode && a.number && a.heldFen > 0 && (reached.get(a.key)?.size ?? 0) > 1)
    .sort((a, b) => a.depth - b.depth || b.heldFen - a.heldFen);
}

/** The money-flow diagram: sources on the left, one column per layer, band widths the traced amounts. */
export function moneyFlowOption(trace: Pick<TraceView, 'flows' | 'accounts'>, text: FlowText): EChartsOption {
  const bands = flowBands(trace.flows);
  const held = new Map(trace.accounts.map((a) => [a.key, a.heldFen]));
  const nodes = new Map<string, { id: string; name: string; depth: number; account: string }>();
  const addNode = (account: string, layer: number) => {
    const id = flowNodeId(account, layer);
    if (!nodes.has(id)) nodes.set(id, { id, name: text.account(account), depth: layer, account });
  };
  for (const b of bands) {
    addNode(b.from, b.depth - 1);
    addNode(b.to, b.depth);
  }
  const bandText = (b: FlowBand) =>
    b.firstAt === b.lastAt
      ? `${text.amount(b.tracedFen)} · ${text.time(b.firstAt)}`
      : `${text.amount(b.tracedFen)} · ${text.time(b.firstAt)}–${text.time(b.lastAt)}`;
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'item', triggerOn: 'mousemove' },
    series: [
      {
        id: 'money-flow',
        type: 'sankey',
        nodeAlign: 'left',
        layoutIterations: 0,
        left: 8,
        right: 160,
        top: 16,
        bottom: 16,
        emphasis: { focus: 'adjacency' },
        lineStyle: { color: 'gradient', opacity: 0.4 },
        label: { fontSize: 12 },
        edgeLabel: { show: true, fontSize: 11 },
        data: [...nodes.values()].map((n) => {
          const h = held.get(n.account);
          const label = n.depth > 0 && h ? `${n.name}\n${text.held(text.amount(h))}` : n.name;
          return {
            id: n.id,
            name: n.name,
            depth: n.depth,
            label: { formatter: label },
            tooltip: { formatter: `${text.layer(n.depth)} ${label.replace('\n', ' ')}` },
          };
        }),
        links: bands.map((b) => ({
          id: b.id,
          source: b.source,
          target: b.target,
          value: b.tracedFen,
          edgeLabel: { show: true, formatter: bandText(b) },
          tooltip: { formatter: `${text.account(b.from)} → ${text.account(b.to)}: ${bandText(b)}` },
        })),
      },
    ],
  };
}

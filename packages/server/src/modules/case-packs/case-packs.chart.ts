import * as echarts from 'echarts';
import { accountLabel, yuanText, type CasePackFacts } from './case-packs.facts';

/**
 * The money-flow chart of a case pack: an ECharts Sankey from the victims (left) through the layers of
 * accounts, each band as wide as the victims' money traced along that transfer, each node labelled with the traced money
 * it received. A node is an account at one
 * layer, so the chart is always acyclic even when money comes back to an account it passed through. Only
 * the `MAX_FLOWS` largest traced flows are drawn (the workbook lists them all).
 */
export const MAX_FLOWS = 60;
/** In PDF points: the chart is rendered at the size the A4 page draws it (text at its final size). */
export const CHART_WIDTH = 495;

export interface FlowChart {
  option: echarts.EChartsCoreOption;
  /** How many traced flows the chart leaves out. */
  omitted: number;
  height: number;
}

export function flowChartOption(f: CasePackFacts): FlowChart {
  const flows = f.transfers
    .filter((t) => t.tracedFen > 0)
    .sort((a, b) => b.tracedFen - a.tracedFen || a.at.getTime() - b.at.getTime())
    .slice(0, MAX_FLOWS);
  const depthsOf = new Map<string, Set<number>>();
  const mark = (key: string, depth: number) => depthsOf.set(key, (depthsOf.get(key) ?? new Set()).add(depth));
  for (const t of flows) {
    mark(t.from, t.depth - 1);
    mark(t.to, t.depth);
  }
  // An account met at several layers gets one node per layer, named with its layer.
  const nodeName = (key: string, depth: number) =>
    (depthsOf.get(key)?.size ?? 1) > 1 ? `${accountLabel(f, key)}（第${depth}层）` : accountLabel(f, key);
  const nodes = new Map<string, { name: string; depth: number }>();
  for (const [key, depths] of depthsOf)
    for (const d of depths) nodes.set(`${key}@${d}`, { name: nodeName(key, d), depth: d });
  // A node's amount: the traced money it received at that layer (a victim's: what it paid out).
  const amounts = new Map<string, number>();
  const add = (id: string, fen: number) => amounts.set(id, (amounts.get(id) ?? 0) + fen);
  for (const t of flows) {
    add(`${t.to}@${t.depth}`, t.tracedFen);
    if (t.depth === 1) add(`${t.from}@0`, t.tracedFen);
  }
  const links = flows.map((t) => ({
    source: nodeName(t.from, t.depth - 1),
    target: nodeName(t.to, t.depth),
    value: t.tracedFen / 100,
  }));
  const perColumn = new Map<number, number>();
  for (const n of nodes.values()) perColumn.set(n.depth, (perColumn.get(n.depth) ?? 0) + 1);
  const height = Math.min(640, Math.max(180, 20 * Math.max(0, ...perColumn.values())));
  return {
    omitted: f.transfers.filter((t) => t.tracedFen > 0).length - flows.length,
    height,
    option: {
      animation: false,
      textStyle: { fontFamily: 'sc' },
      series: [
        {
          type: 'sankey',
          left: 115,
          right: 10,
          top: 10,
          bottom: 10,
          nodeWidth: 8,
          nodeGap: 6,
          layoutIterations: 32,
          data: [...nodes.entries()].map(([id, n]) => ({
            name: n.name,
            depth: n.depth,
            label: { formatter: `${n.name}\n${yuanText(amounts.get(id) ?? 0)}` },
          })),
          links,
          // Labels left of their node: the band labels sit mid-band, clear of them.
          label: { position: 'left', fontSize: 6.5, color: '#222' },
          lineStyle: { color: 'source', opacity: 0.35 },
        },
      ],
    },
  };
}

/** The chart as SVG, rendered on the server (no browser): what the PDF draws, vector. */
export function flowChartSvg(f: CasePackFacts): { svg: string; height: number; omitted: number } {
  const chart = flowChartOption(f);
  const instance = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART_WIDTH,
    height: chart.height,
  });
  try {
    instance.setOption(chart.option);
    return { svg: instance.renderToSVGString(), height: chart.height, omitted: chart.omitted };
  } finally {
    instance.dispose();
  }
}

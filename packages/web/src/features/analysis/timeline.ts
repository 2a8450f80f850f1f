import type { EChartsOption } from 'echarts';
import type { ClusterReportView, TracedFlowView } from './analysis-types';

export interface TimelineText {
  reports: string;
  /** The row of transfers into layer n. */
  layer: (n: number) => string;
  amount: (fen: number) => string;
  time: (iso: string) => string;
}

/** Rows of the timeline: the reports first, then one row per layer the money reached. */
export function timelineRows(flows: readonly TracedFlowView[]): number[] {
  return [...new Set(flows.filter((f) => f.tracedFen > 0).map((f) => f.depth))].sort((a, b) => a - b);
}

/** Point size by amount: readable from ¥100 to ¥1,000,000, never hiding the small ones. */
export const pointSize = (fen: number) =>
  Math.max(6, Math.min(36, 4 * Math.log10(Math.max(fen, 100) / 100) + 6));

/**
 * The cluster in time: when each report was made (its loss) and when the traced money moved, one row per
 * layer, so a gang's rhythm (money moved on within minutes, a mule used for weeks) shows at a glance.
 */
export function timelineOption(
  reports: readonly ClusterReportView[],
  flows: readonly TracedFlowView[],
  text: TimelineText,
): EChartsOption {
  const layers = timelineRows(flows);
  const rows = [text.reports, ...layers.map(text.layer)];
  return {
    aria: { enabled: true },
    tooltip: { trigger: 'item' },
    grid: { left: 8, right: 24, top: 16, bottom: 48, containLabel: true },
    xAxis: { type: 'time' },
    yAxis: { type: 'category', data: rows, inverse: true },
    dataZoom: [{ type: 'slider', bottom: 8, height: 20 }, { type: 'inside' }],
    series: [
      {
        id: 'reports',
        type: 'scatter',
        name: text.reports,
        data: [...reports]
          .sort((a, b) => a.reportedAt.localeCompare(b.reportedAt))
          .map((r) => ({
            value: [r.reportedAt, text.reports],
            symbolSize: pointSize(r.lossFen),
            tooltip: { formatter: `${r.number} · ${text.time(r.reportedAt)} · ${text.amount(r.lossFen)}` },
          })),
      },
      {
        id: 'transfers',
        type: 'scatter',
        name: rows.slice(1).join(' '),
        data: flows
          .filter((f) => f.tracedFen > 0)
          .map((f) => ({
            value: [f.at, text.layer(f.depth)],
            symbolSize: pointSize(f.tracedFen),
            tooltip: {
              formatter: `${text.layer(f.depth)} · ${text.time(f.at)} · ${text.amount(f.tracedFen)}`,
            },
          })),
      },
    ],
  };
}

import type { PublicityBriefLine } from '@fanzha/contracts';
import type { EChartsOption } from 'echarts';

/** A change as a signed percentage, `新` (new) when there was no baseline. */
export function changeText(change: number | null, newText: string): string {
  if (change === null) return newText;
  const pct = Math.round(change * 100);
  return `${pct > 0 ? '+' : ''}${pct}%`;
}

/** The key a campaign planned from a brief line is sent with: a second click sends the same one. */
export const campaignKey = (
  week: string,
  l: Pick<PublicityBriefLine, 'countyCode' | 'fraudType' | 'ageBand'>,
) => `brief:${week}:${l.countyCode}:${l.fraudType}:${l.ageBand}`;

/** The brief's chart: this week's reports against the baseline, one bar pair per line (top 10). */
export function briefChartOption(
  lines: readonly PublicityBriefLine[],
  label: (l: PublicityBriefLine) => string,
  names: { reports: string; baseline: string },
): EChartsOption {
  const top = lines.slice(0, 10).reverse();
  return {
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map(label) },
    series: [
      {
        id: 'baseline',
        name: names.baseline,
        type: 'bar',
        data: top.map((l) => Math.round(l.baseline * 10) / 10),
      },
      { id: 'reports', name: names.reports, type: 'bar', data: top.map((l) => l.reports) },
    ],
  };
}

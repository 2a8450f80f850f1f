import type { WallFraudTypes } from '@fanzha/contracts';
import type { EChartsOption } from 'echarts';
import { fraudTypeName } from '../wall-format';
import { WALL } from '../wall-theme';
import { px, WALL_TEXT, type OptionContext } from './option-context';

/** Types drawn in the trend: the most frequent ones (more lines than that cannot be told apart). */
const TREND_TYPES = 3;
/** Types named beside the ring; the rest are one slice, so the names stay large and fit the panel. */
const SHARE_TYPES = 5;

const nameOf = (code: string | null, ctx: OptionContext) =>
  fraudTypeName(code, ctx.locale, ctx.t('types.unknown'));

/** This month's share of reports by fraud type: a ring, and the types with their shares beside it. */
export function fraudTypesShareOption(month: WallFraudTypes['month'], ctx: OptionContext): EChartsOption {
  const total = month.reduce((s, m) => s + m.reports, 0);
  const sorted = [...month].sort((a, b) => b.reports - a.reports);
  const named = sorted.length > SHARE_TYPES + 1 ? sorted.slice(0, SHARE_TYPES) : sorted;
  const rest = sorted.slice(named.length).reduce((s, m) => s + m.reports, 0);
  const data = [
    ...named.map((m) => ({ name: nameOf(m.code, ctx), value: m.reports })),
    ...(rest > 0 ? [{ name: ctx.t('types.rest'), value: rest }] : []),
  ];
  const share = new Map(data.map((d) => [d.name, total > 0 ? Math.round((d.value / total) * 1000) / 10 : 0]));
  return {
    animationDurationUpdate: 600,
    color: [...WALL.series],
    legend: {
      orient: 'vertical',
      left: '46%',
      top: 'middle',
      itemWidth: px(ctx, 16),
      itemHeight: px(ctx, 16),
      itemGap: px(ctx, 6),
      // Long (English) names are cut rather than drawn over the ring.
      textStyle: {
        color: WALL.text,
        fontSize: px(ctx, WALL_TEXT),
        width: px(ctx, 230),
        overflow: 'truncate',
      },
      formatter: (name: string) => `${share.get(name) ?? 0}%  ${name}`,
    },
    series: [
      {
        id: 'share',
        type: 'pie',
        radius: ['42%', '76%'],
        center: ['22%', '50%'],
        silent: true,
        minAngle: 3,
        itemStyle: { borderColor: WALL.bg, borderWidth: px(ctx, 2) },
        label: { show: false },
        data,
      },
    ],
  };
}

/** Reports per day over the last 30 days for the most frequent types. */
export function fraudTypesTrendOption(trend: WallFraudTypes['trend'], ctx: OptionContext): EChartsOption {
  const total = (counts: readonly number[]) => counts.reduce((s, n) => s + n, 0);
  const series = [...trend.series].sort((a, b) => total(b.reports) - total(a.reports)).slice(0, TREND_TYPES);
  const axisText = { color: WALL.muted, fontSize: px(ctx, WALL_TEXT) };
  return {
    animationDurationUpdate: 600,
    color: [...WALL.series],
    grid: { left: px(ctx, 4), right: px(ctx, 12), top: px(ctx, 36), bottom: px(ctx, 4), containLabel: true },
    // One line of names, each cut to fit: the lines below must keep their height.
    legend: {
      top: 0,
      left: 0,
      itemWidth: px(ctx, 16),
      itemHeight: px(ctx, 8),
      itemGap: px(ctx, 12),
      textStyle: {
        color: WALL.text,
        fontSize: px(ctx, WALL_TEXT),
        width: px(ctx, 120),
        overflow: 'truncate',
      },
    },
    xAxis: {
      type: 'category',
      data: trend.days.map((d) => d.slice(5)),
      axisLabel: axisText,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: WALL.grid } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 3,
      axisLabel: axisText,
      splitLine: { lineStyle: { color: WALL.grid } },
    },
    series: series.map((s) => ({
      id: `type-${s.code ?? 'unknown'}`,
      type: 'line' as const,
      name: nameOf(s.code, ctx),
      data: [...s.reports],
      smooth: true,
      symbol: 'none',
      lineStyle: { width: px(ctx, 2) },
    })),
  };
}

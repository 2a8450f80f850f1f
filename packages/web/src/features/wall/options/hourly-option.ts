import type { WallHour } from '@fanzha/contracts';
import type { EChartsOption } from 'echarts';
import { WALL } from '../wall-theme';
import { px, WALL_TEXT, type OptionContext } from './option-context';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** "09" for the hour starting 09:00 China time. */
export const chinaHour = (iso: string) =>
  String(new Date(Date.parse(iso) + CHINA_OFFSET_MS).getUTCHours()).padStart(2, '0');

/** Reports per hour over the last 24 hours (bars) and their losses in 万元 (line). */
export function hourlyOption(hours: readonly WallHour[], ctx: OptionContext): EChartsOption {
  const axisText = { color: WALL.muted, fontSize: px(ctx, WALL_TEXT) };
  return {
    animationDurationUpdate: 600,
    grid: { left: px(ctx, 8), right: px(ctx, 8), top: px(ctx, 36), bottom: px(ctx, 4), containLabel: true },
    legend: {
      top: 0,
      right: 0,
      itemWidth: px(ctx, 14),
      itemHeight: px(ctx, 8),
      textStyle: { color: WALL.text, fontSize: px(ctx, WALL_TEXT) },
    },
    xAxis: {
      type: 'category',
      data: hours.map((h) => chinaHour(h.hour)),
      axisLabel: axisText,
      axisLine: { lineStyle: { color: WALL.grid } },
      axisTick: { show: false },
    },
    yAxis: [
      // Few ticks: at 20 px more would run into one another on a short chart.
      {
        type: 'value',
        minInterval: 1,
        splitNumber: 3,
        axisLabel: axisText,
        splitLine: { lineStyle: { color: WALL.grid } },
      },
      { type: 'value', splitNumber: 3, axisLabel: axisText, splitLine: { show: false } },
    ],
    series: [
      {
        id: 'reports',
        type: 'bar',
        name: ctx.t('hourly.reports'),
        data: hours.map((h) => h.reports),
        barWidth: '56%',
        itemStyle: { color: WALL.accent, borderRadius: [px(ctx, 3), px(ctx, 3), 0, 0] },
      },
      {
        id: 'loss',
        type: 'line',
        name: ctx.t('hourly.loss'),
        yAxisIndex: 1,
        smooth: true,
        symbol: 'none',
        data: hours.map((h) => Math.round(h.lossFen / 100) / 10_000),
        lineStyle: { color: WALL.gold, width: px(ctx, 2) },
        itemStyle: { color: WALL.gold },
      },
    ],
  };
}

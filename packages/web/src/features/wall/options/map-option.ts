import type { WallCounty } from '@fanzha/contracts';
import { divisionName, listCounties } from '@fanzha/domain';
import type { EChartsOption } from 'echarts';
import { GUIZHOU_MAP } from '../map/guizhou-geo';
import { WALL } from '../wall-theme';
import { px, type OptionContext } from './option-context';

export type MapMode = 'reports' | 'loss';
/** Counties named on the map: the ones with the most, so the names do not cover the shapes. */
const LABELLED = 6;

/** The province by county, shaded by this month's reports or losses (in 万元); click-free. */
export function mapOption(counties: readonly WallCounty[], mode: MapMode, ctx: OptionContext): EChartsOption {
  const byCode = new Map(counties.map((c) => [c.code, c]));
  const valueOf = (code: string) => {
    const c = byCode.get(code);
    if (!c) return 0;
    return mode === 'reports' ? c.reportsMonth : Math.round(c.lossMonthFen / 100) / 10_000;
  };
  const data = listCounties().map((c) => ({ name: c.code, value: valueOf(c.code) }));
  const top = new Set(
    [...data]
      .filter((d) => d.value > 0)
      .sort((a, b) => b.value - a.value)
      .slice(0, LABELLED)
      .map((d) => d.name),
  );
  const max = Math.max(1, ...data.map((d) => d.value));
  return {
    animationDurationUpdate: 800,
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      left: px(ctx, 8),
      bottom: px(ctx, 8),
      itemWidth: px(ctx, 12),
      itemHeight: px(ctx, 120),
      calculable: false,
      text: [ctx.t('map.high'), ctx.t('map.low')],
      textStyle: { color: WALL.muted, fontSize: px(ctx, 13) },
      inRange: { color: [...WALL.mapRange] },
    },
    series: [
      {
        id: 'counties',
        type: 'map',
        map: GUIZHOU_MAP,
        roam: false,
        silent: true,
        selectedMode: false,
        aspectScale: 0.9,
        // Fitted inside this box with the province's proportions kept; the scale bar sits bottom left.
        top: px(ctx, 8),
        bottom: px(ctx, 8),
        left: px(ctx, 60),
        right: px(ctx, 8),
        labelLayout: { hideOverlap: true },
        itemStyle: {
          borderColor: 'rgba(120, 200, 255, 0.55)',
          borderWidth: px(ctx, 0.6),
          areaColor: WALL.mapRange[0],
        },
        label: {
          show: false,
          color: '#ffffff',
          fontSize: px(ctx, 13),
          textBorderColor: 'rgba(0, 0, 0, 0.6)',
          textBorderWidth: 2,
          formatter: (p: { name: string }) => divisionName(p.name) ?? p.name,
        },
        data: data.map((d) => (top.has(d.name) ? { ...d, label: { show: true } } : d)),
      },
    ],
  };
}

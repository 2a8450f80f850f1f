import type { WallCounty } from '@fanzha/contracts';
import { divisionName, listCounties } from '@fanzha/domain';
import type { EChartsOption } from 'echarts';
import { GUIZHOU_MAP } from '../map/guizhou-geo';
import { WALL } from '../wall-theme';
import { px, WALL_TEXT, type OptionContext } from './option-context';

export type MapMode = 'reports' | 'loss';
/** Shading classes: few enough to tell apart across the room. */
const CLASSES = 5;
/** Counties named beside the map (never on it: the small city districts would cover one another). */
export const LEADERS = 5;
/** Width of the column left of the map that holds the leading counties and the classes. */
export const LEGEND_PX = 200;
/** The width of the classes' column on the right: a swatch and a class's label. */
const CLASSES_PX = 150;

const valueOf = (c: WallCounty | undefined, mode: MapMode) =>
  !c ? 0 : mode === 'reports' ? c.reportsMonth : Math.round(c.lossMonthFen / 100) / 10_000;

/**
 * Class bounds on the quantiles of the counties that had anything: each class holds about as many
 * counties as the next, so three counties far ahead of the rest take the top class and leave the other
 * colours to the rest of the province (a linear scale painted everything but them in the lowest colour).
 * Returns ascending upper bounds, distinct, the last being the largest value.
 */
export function quantileBreaks(values: readonly number[], classes = CLASSES): number[] {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const bounds: number[] = [];
  for (let k = 1; k <= classes; k++) {
    const at = sorted[Math.min(sorted.length - 1, Math.ceil((k / classes) * sorted.length) - 1)]!;
    if (bounds.at(-1) !== at) bounds.push(at);
  }
  return bounds;
}

const shown = (v: number) => String(Math.round(v * 10) / 10);
/** "3–7" for a class above 2 up to 7 (reports are whole: the first count in it is 3); "8" when it is one value. */
const classLabel = (above: number, max: number, mode: MapMode) => {
  const from = mode === 'reports' ? above + 1 : above;
  return from >= max ? shown(max) : `${shown(from)}–${shown(max)}`;
};

/** The counties with the most this month, most first, with the value the map shades them by. */
export function mapLeaders(
  counties: readonly WallCounty[],
  mode: MapMode,
  n = LEADERS,
): { code: string; value: number }[] {
  return counties
    .map((c) => ({ code: c.code, value: valueOf(c, mode) }))
    .filter((c) => c.value > 0)
    .sort((a, b) => b.value - a.value || a.code.localeCompare(b.code))
    .slice(0, n);
}

/** The province by county, shaded by this month's reports or losses (in 万元) in quantile classes; click-free. */
export function mapOption(counties: readonly WallCounty[], mode: MapMode, ctx: OptionContext): EChartsOption {
  const byCode = new Map(counties.map((c) => [c.code, c]));
  const data = listCounties().map((c) => ({ name: c.code, value: valueOf(byCode.get(c.code), mode) }));
  const bounds = quantileBreaks(data.map((d) => d.value));
  const colours = WALL.mapRange.slice(1);
  const pieces = [
    { value: 0, label: '0', color: WALL.mapRange[0] },
    ...bounds.map((max, i) => {
      const min = i === 0 ? 0 : bounds[i - 1]!;
      // Spread the classes over the whole colour range, the top class always in the hottest colour.
      const at = bounds.length === 1 ? 1 : i / (bounds.length - 1);
      const colour = colours[Math.round(at * (colours.length - 1))]!;
      return {
        gt: min,
        lte: max,
        label: classLabel(min, max, mode),
        color: colour,
      };
    }),
  ];
  return {
    animationDurationUpdate: 800,
    visualMap: {
      type: 'piecewise',
      pieces,
      // The classes in a column of their own on the right, so that a short panel never stacks them onto the
      // leading counties on the left.
      right: px(ctx, 4),
      bottom: px(ctx, 4),
      itemWidth: px(ctx, 22),
      itemHeight: px(ctx, 16),
      itemGap: px(ctx, 6),
      textGap: px(ctx, 8),
      textStyle: { color: WALL.muted, fontSize: px(ctx, WALL_TEXT) },
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
        // Fitted inside this box with the province's proportions kept; the leading counties sit in the column
        // on the left, the classes in the one on the right.
        top: px(ctx, 8),
        bottom: px(ctx, 8),
        left: px(ctx, LEGEND_PX + 16),
        right: px(ctx, CLASSES_PX + 16),
        itemStyle: {
          borderColor: 'rgba(120, 200, 255, 0.55)',
          borderWidth: px(ctx, 0.6),
          areaColor: WALL.mapRange[0],
        },
        label: {
          show: false,
          color: '#ffffff',
          fontSize: px(ctx, WALL_TEXT),
          formatter: (p: { name: string }) => divisionName(p.name) ?? p.name,
        },
        data,
      },
    ],
  };
}

import type { WallBank } from '@fanzha/contracts';
import type { EChartsOption } from 'echarts';
import { WALL } from '../wall-theme';
import { px, WALL_TEXT, type OptionContext } from './option-context';

/** Banks shown: the busiest, so the bars stay readable across the room. */
const SHOWN = 6;
/** Bank names beyond this are cut with an ellipsis rather than squeezing the bars. */
const NAME_WIDTH = 150;

/** Median time from instruction sent to the bank's answer, per bank, over the last 24 hours. */
export function banksOption(banks: readonly WallBank[], ctx: OptionContext): EChartsOption {
  const shown = [...banks]
    .filter((b) => b.medianS !== null)
    .sort((a, b) => b.answered - a.answered)
    .slice(0, SHOWN)
    .reverse();
  const name = (b: WallBank) => (ctx.locale === 'zh-CN' ? (b.bankName ?? b.bankCode) : b.bankCode);
  return {
    animationDurationUpdate: 600,
    grid: { left: px(ctx, 8), right: px(ctx, 170), top: px(ctx, 4), bottom: px(ctx, 4), containLabel: true },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: shown.map(name),
      axisLabel: {
        color: WALL.text,
        fontSize: px(ctx, WALL_TEXT),
        width: px(ctx, NAME_WIDTH),
        overflow: 'truncate',
      },
      axisLine: { show: false },
      axisTick: { show: false },
    },
    series: [
      {
        id: 'banks',
        type: 'bar',
        silent: true,
        barWidth: '52%',
        data: shown.map((b) => ({
          value: b.medianS ?? 0,
          label: {
            formatter: `${ctx.t('seconds', { n: Math.round(b.medianS ?? 0) })} · ${ctx.t('banks.answered', { n: b.answered })}`,
          },
        })),
        itemStyle: { color: WALL.accent, borderRadius: px(ctx, 3) },
        label: { show: true, position: 'right', color: WALL.text, fontSize: px(ctx, WALL_TEXT) },
      },
    ],
  };
}

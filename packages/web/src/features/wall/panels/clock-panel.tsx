import type { WallClock } from '@fanzha/contracts';
import { px, WALL_TEXT, type OptionContext } from '../options/option-context';
import { formatSeconds } from '../wall-format';
import { WALL } from '../wall-theme';
import { ellipsis, Panel } from './panel';

const colourOf = (s: number | null, target: number) =>
  s === null ? WALL.muted : s <= target ? WALL.green : WALL.red;

/** The three-minute clock: median and p90 against the target, and the share of reports inside it. */
export function ClockPanel({ clock, ctx }: { clock: WallClock | undefined; ctx: OptionContext }) {
  const { t } = ctx;
  const target = clock?.targetS ?? 180;
  const share = clock?.withinTargetShare ?? null;
  const figure = (label: string, value: string, colour: string) => (
    <>
      <div style={{ fontSize: px(ctx, WALL_TEXT), color: WALL.muted, ...ellipsis }}>{label}</div>
      <div
        style={{
          fontSize: px(ctx, 42),
          lineHeight: 1.2,
          fontWeight: 700,
          color: colour,
          fontVariantNumeric: 'tabular-nums',
          ...ellipsis,
        }}
      >
        {value}
      </div>
    </>
  );
  const seconds = (label: string, s: number | null, testId: string) => (
    <div data-testid={testId} data-value={s ?? ''} style={{ minWidth: 0 }}>
      {figure(label, formatSeconds(s, ctx.locale), colourOf(s, target))}
    </div>
  );
  return (
    <Panel ctx={ctx} title={t('clock.title')} extra={t('clock.target', { s: target })} testId="wall-clock">
      <div style={{ fontSize: px(ctx, WALL_TEXT), color: WALL.muted, ...ellipsis }}>
        {t('clock.subtitle')}
      </div>
      {/* Three figures side by side: the panel stays short enough for every line to show in full. */}
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
          gap: px(ctx, 8),
          marginTop: px(ctx, 4),
        }}
      >
        {seconds(t('clock.median'), clock?.medianS ?? null, 'wall-clock-median')}
        {seconds(t('clock.p90'), clock?.p90S ?? null, 'wall-clock-p90')}
        <div data-testid="wall-clock-share" data-value={share ?? ''} style={{ minWidth: 0 }}>
          {figure(t('clock.within'), share === null ? '—' : `${Math.round(share * 100)}%`, WALL.accent)}
        </div>
      </div>
      <div
        style={{
          height: px(ctx, 8),
          background: WALL.grid,
          borderRadius: px(ctx, 4),
          marginTop: px(ctx, 6),
        }}
      >
        <div
          style={{
            width: `${Math.round((share ?? 0) * 100)}%`,
            height: '100%',
            borderRadius: px(ctx, 4),
            background: `linear-gradient(90deg, ${WALL.accent}, ${WALL.green})`,
            transition: 'width 0.8s',
          }}
        />
      </div>
      <div style={{ fontSize: px(ctx, WALL_TEXT), color: WALL.muted, marginTop: px(ctx, 6), ...ellipsis }}>
        {t('clock.share', { within: clock?.withinTarget ?? 0, reports: clock?.reports ?? 0 })} ·{' '}
        {t('clock.reached', { n: clock?.reached ?? 0 })}
      </div>
    </Panel>
  );
}

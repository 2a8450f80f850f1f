import type { WallClock } from '@fanzha/contracts';
import { px, type OptionContext } from '../options/option-context';
import { formatSeconds } from '../wall-format';
import { WALL } from '../wall-theme';
import { Panel } from './panel';

const colourOf = (s: number | null, target: number) =>
  s === null ? WALL.muted : s <= target ? WALL.green : WALL.red;

/** The three-minute clock: median and p90 against the target, and the share of reports inside it. */
export function ClockPanel({ clock, ctx }: { clock: WallClock | undefined; ctx: OptionContext }) {
  const { t } = ctx;
  const target = clock?.targetS ?? 180;
  const share = clock?.withinTargetShare ?? null;
  const big = (label: string, s: number | null, testId: string) => (
    <div data-testid={testId} data-value={s ?? ''}>
      <div style={{ fontSize: px(ctx, 14), color: WALL.muted }}>{label}</div>
      <div
        style={{
          fontSize: px(ctx, 40),
          fontWeight: 700,
          color: colourOf(s, target),
          fontVariantNumeric: 'tabular-nums',
        }}
      >
        {formatSeconds(s, ctx.locale)}
      </div>
    </div>
  );
  return (
    <Panel ctx={ctx} title={t('clock.title')} extra={t('clock.target', { s: target })} testId="wall-clock">
      <div style={{ fontSize: px(ctx, 13), color: WALL.muted }}>{t('clock.subtitle')}</div>
      <div
        style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: px(ctx, 8), marginTop: px(ctx, 8) }}
      >
        {big(t('clock.median'), clock?.medianS ?? null, 'wall-clock-median')}
        {big(t('clock.p90'), clock?.p90S ?? null, 'wall-clock-p90')}
      </div>
      <div style={{ marginTop: px(ctx, 10) }} data-testid="wall-clock-share" data-value={share ?? ''}>
        <div
          style={{
            display: 'flex',
            justifyContent: 'space-between',
            fontSize: px(ctx, 14),
            color: WALL.text,
          }}
        >
          <span>
            {t('clock.within')}{' '}
            <b style={{ fontSize: px(ctx, 22), color: WALL.accent }}>
              {share === null ? '—' : `${Math.round(share * 100)}%`}
            </b>
          </span>
          <span style={{ color: WALL.muted }}>
            {t('clock.share', { within: clock?.withinTarget ?? 0, reports: clock?.reports ?? 0 })}
          </span>
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
        <div style={{ fontSize: px(ctx, 12), color: WALL.muted, marginTop: px(ctx, 6) }}>
          {t('clock.reached', { n: clock?.reached ?? 0 })}
        </div>
      </div>
    </Panel>
  );
}

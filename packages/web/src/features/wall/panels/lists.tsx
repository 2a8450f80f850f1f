import type { WallHandoffs, WallLapse } from '@fanzha/contracts';
import { countyLabel } from '@fanzha/domain';
import { px, type OptionContext } from '../options/option-context';
import { compactYuan, formatLeft, shownText } from '../wall-format';
import { WALL } from '../wall-theme';
import { Panel } from './panel';

const rowStyle = (ctx: OptionContext) => ({
  display: 'grid',
  gap: px(ctx, 8),
  alignItems: 'baseline',
  padding: `${px(ctx, 3)}px 0`,
  borderBottom: `1px dashed ${WALL.grid}`,
  fontSize: px(ctx, 14),
  color: WALL.text,
});

function Empty({ ctx }: { ctx: OptionContext }) {
  return (
    <div style={{ color: WALL.muted, fontSize: px(ctx, 14), marginTop: px(ctx, 8) }}>{ctx.t('none')}</div>
  );
}

/** Emergency stops whose 48 hours end soonest: to be frozen before they lapse. */
export function LapsePanel({
  lapse,
  now,
  ctx,
}: {
  lapse: WallLapse | undefined;
  now: Date;
  ctx: OptionContext;
}) {
  const { t } = ctx;
  return (
    <Panel
      ctx={ctx}
      title={t('lapse.title', { h: lapse?.windowH ?? 12 })}
      extra={t('lapse.inForce', { n: lapse?.inForce ?? 0 })}
      testId="wall-lapse"
    >
      <div
        data-testid="wall-lapse-count"
        data-value={lapse?.count ?? 0}
        style={{ fontSize: px(ctx, 14), color: WALL.muted }}
      >
        <b style={{ fontSize: px(ctx, 26), color: (lapse?.count ?? 0) > 0 ? WALL.gold : WALL.green }}>
          {lapse?.count ?? 0}
        </b>{' '}
        · {shownText(compactYuan(lapse?.stoppedFen ?? 0, ctx.locale))}
      </div>
      {lapse?.next.length === 0 && <Empty ctx={ctx} />}
      {(lapse?.next ?? []).map((s, i) => (
        <div key={i} style={{ ...rowStyle(ctx), gridTemplateColumns: '1.4fr 0.8fr 1fr 1.2fr' }}>
          <span>{ctx.locale === 'zh-CN' ? (s.bankName ?? s.bankCode) : s.bankCode}</span>
          <span style={{ color: WALL.muted }}>{t('lapse.layer', { n: s.layer })}</span>
          <span style={{ color: WALL.gold }}>{shownText(compactYuan(s.stoppedFen, ctx.locale))}</span>
          <span style={{ color: WALL.red, textAlign: 'right' }}>
            {t('lapse.left', { t: formatLeft(new Date(s.expiresAt), now, ctx.locale) })}
          </span>
        </div>
      ))}
    </Panel>
  );
}

/** County hand-offs past their deadline, by county (督办). */
export function HandoffsPanel({ handoffs, ctx }: { handoffs: WallHandoffs | undefined; ctx: OptionContext }) {
  const { t } = ctx;
  const overdue = handoffs?.overdue ?? 0;
  return (
    <Panel
      ctx={ctx}
      title={t('handoffs.title')}
      extra={t('handoffs.open', { n: handoffs?.open ?? 0 })}
      testId="wall-handoffs"
    >
      <div
        data-testid="wall-handoffs-overdue"
        data-value={overdue}
        style={{ fontSize: px(ctx, 14), color: WALL.muted }}
      >
        <b style={{ fontSize: px(ctx, 26), color: overdue > 0 ? WALL.red : WALL.green }}>{overdue}</b>{' '}
        {t('handoffs.overdue')}
      </div>
      {handoffs?.byCounty.length === 0 && <Empty ctx={ctx} />}
      {(handoffs?.byCounty ?? []).slice(0, 5).map((c) => (
        <div key={c.code} style={{ ...rowStyle(ctx), gridTemplateColumns: '1fr auto' }}>
          <span>{countyLabel(c.code) ?? c.code}</span>
          <span style={{ color: WALL.red }}>{c.overdue}</span>
        </div>
      ))}
    </Panel>
  );
}

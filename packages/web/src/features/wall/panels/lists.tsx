import type { WallHandoffs, WallLapse } from '@fanzha/contracts';
import { countyLabel } from '@fanzha/domain';
import { px, WALL_TEXT, type OptionContext } from '../options/option-context';
import { compactYuan, formatLeft, shownText } from '../wall-format';
import { WALL } from '../wall-theme';
import { ellipsis, Panel } from './panel';

/** Rows a list panel shows: the panels are sized for this many fixed-height rows, never more. */
export const LIST_ROWS = 3;
/** A list row's height at 1920×1080. */
export const ROW_PX = 34;

export function Row({
  ctx,
  columns,
  cells,
}: {
  ctx: OptionContext;
  columns: string;
  cells: [string, string][];
}) {
  return (
    <div
      data-testid="wall-row"
      style={{
        display: 'grid',
        gridTemplateColumns: columns,
        gap: px(ctx, 10),
        alignItems: 'center',
        height: px(ctx, ROW_PX),
        borderBottom: `1px dashed ${WALL.grid}`,
        fontSize: px(ctx, WALL_TEXT),
        color: WALL.text,
      }}
    >
      {cells.map(([text, colour], i) => (
        <span
          key={i}
          title={text}
          style={{ ...ellipsis, color: colour, textAlign: i === cells.length - 1 ? 'right' : 'left' }}
        >
          {text}
        </span>
      ))}
    </div>
  );
}

export function Empty({ ctx }: { ctx: OptionContext }) {
  return (
    <div style={{ color: WALL.muted, fontSize: px(ctx, WALL_TEXT), marginTop: px(ctx, 8) }}>
      {ctx.t('none')}
    </div>
  );
}

export function Headline({
  ctx,
  testId,
  value,
  colour,
  after,
}: {
  ctx: OptionContext;
  testId: string;
  value: number;
  colour: string;
  after: string;
}) {
  return (
    <div
      data-testid={testId}
      data-value={value}
      style={{ fontSize: px(ctx, WALL_TEXT), color: WALL.muted, height: px(ctx, 40), ...ellipsis }}
    >
      <b style={{ fontSize: px(ctx, 30), color: colour }}>{value}</b> {after}
    </div>
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
  const count = lapse?.count ?? 0;
  return (
    <Panel
      ctx={ctx}
      title={t('lapse.title', { h: lapse?.windowH ?? 12 })}
      extra={t('lapse.inForce', { n: lapse?.inForce ?? 0 })}
      testId="wall-lapse"
    >
      <Headline
        ctx={ctx}
        testId="wall-lapse-count"
        value={count}
        colour={count > 0 ? WALL.gold : WALL.green}
        after={`· ${shownText(compactYuan(lapse?.stoppedFen ?? 0, ctx.locale))}`}
      />
      {lapse?.next.length === 0 && <Empty ctx={ctx} />}
      {(lapse?.next ?? []).slice(0, LIST_ROWS).map((s, i) => (
        <Row
          key={i}
          ctx={ctx}
          columns="minmax(0, 1fr) auto auto auto"
          cells={[
            [ctx.locale === 'zh-CN' ? (s.bankName ?? s.bankCode) : s.bankCode, WALL.text],
            [t('lapse.layer', { n: s.layer }), WALL.muted],
            [shownText(compactYuan(s.stoppedFen, ctx.locale)), WALL.gold],
            [t('lapse.left', { t: formatLeft(new Date(s.expiresAt), now, ctx.locale) }), WALL.red],
          ]}
        />
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
      <Headline
        ctx={ctx}
        testId="wall-handoffs-overdue"
        value={overdue}
        colour={overdue > 0 ? WALL.red : WALL.green}
        after={t('handoffs.overdue')}
      />
      {handoffs?.byCounty.length === 0 && <Empty ctx={ctx} />}
      {(handoffs?.byCounty ?? []).slice(0, LIST_ROWS).map((c) => (
        <Row
          key={c.code}
          ctx={ctx}
          columns="minmax(0, 1fr) auto"
          cells={[
            [countyLabel(c.code) ?? c.code, WALL.text],
            [String(c.overdue), WALL.red],
          ]}
        />
      ))}
    </Panel>
  );
}

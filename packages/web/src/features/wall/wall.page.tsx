import { ArrowLeftOutlined } from '@ant-design/icons';
import { ConfigProvider } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { Link } from 'react-router';
import { LiveStreamProvider, useLiveStream } from '../../live';
import { SESSION_KEY, SessionWatch } from '../../session';
import { LanguageSwitch, darkTheme, useNow } from '../../ui';
import type { OptionContext } from './options/option-context';
import { px, WALL_TEXT } from './options/option-context';
import { BanksPanel, FraudTypesPanels, HourlyPanel, MapPanel } from './panels/charts';
import { ClockPanel } from './panels/clock-panel';
import { KpiStrip } from './panels/kpi-strip';
import { HandoffsPanel, LapsePanel } from './panels/lists';
import { CallbacksPanel, InvestigationPanel, TasksPanel } from './panels/loop';
import { TickerBand } from './panels/ticker-band';
import { useWall } from './use-wall';
import { useWallScale } from './use-wall-scale';
import { useWallT } from './wall.messages';
import { DESIGN, WALL } from './wall-theme';

function Header({ ctx, now, status }: { ctx: OptionContext; now: Date; status: string }) {
  const { t } = ctx;
  const isLive = status === 'open';
  return (
    <header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
      <div style={{ display: 'flex', alignItems: 'baseline', gap: px(ctx, 16) }}>
        <Link to="/" aria-label={t('back')} style={{ color: WALL.muted, fontSize: px(ctx, 22) }}>
          <ArrowLeftOutlined />
        </Link>
        <h1
          data-testid="page-title"
          style={{
            margin: 0,
            fontSize: px(ctx, 34),
            letterSpacing: px(ctx, ctx.locale === 'zh-CN' ? 6 : 1),
            color: WALL.text,
            fontWeight: 700,
          }}
        >
          {t('title')}
        </h1>
        <span style={{ fontSize: px(ctx, 22), color: WALL.muted }}>{t('subtitle')}</span>
      </div>
      <div style={{ display: 'flex', alignItems: 'center', gap: px(ctx, 20), fontSize: px(ctx, 22) }}>
        {isLive && (
          <span data-testid="live-status" data-status={status} role="status" style={{ color: WALL.green }}>
            ● {t('live')}
          </span>
        )}
        <span data-testid="wall-time" style={{ color: WALL.text, fontVariantNumeric: 'tabular-nums' }}>
          {now.toLocaleString(ctx.locale, { timeZone: 'Asia/Shanghai', hour12: false })}
        </span>
        {/* antd draws the switch at its own size: give it the wall's text size instead. */}
        <ConfigProvider
          theme={{
            token: { fontSize: px(ctx, WALL_TEXT), fontSizeSM: px(ctx, WALL_TEXT) },
            components: { Segmented: { itemHoverColor: WALL.text } },
          }}
        >
          <LanguageSwitch />
        </ConfigProvider>
      </div>
    </header>
  );
}

/**
 * Read from across the room: a wall that is not live must not look like one that is. A band across the
 * top of the wall, over the headline figures (which may be stale), until the stream is back.
 */
function NotLiveBand({ ctx, status }: { ctx: OptionContext; status: string }) {
  if (status === 'open') return null;
  return (
    <div
      data-testid="live-status"
      data-status={status}
      role="status"
      style={{
        position: 'absolute',
        zIndex: 10,
        top: px(ctx, 80),
        left: '15%',
        right: '15%',
        textAlign: 'center',
        color: WALL.bg,
        background: WALL.gold,
        fontWeight: 700,
        fontSize: px(ctx, 48),
        lineHeight: 1.3,
        padding: `${px(ctx, 10)}px ${px(ctx, 24)}px`,
        borderRadius: px(ctx, 8),
        boxShadow: `0 0 ${px(ctx, 40)}px rgba(255, 197, 61, 0.6)`,
      }}
    >
      ● {ctx.t('reconnecting')}
      <div style={{ fontSize: px(ctx, 28), fontWeight: 600 }}>{ctx.t('notLive')}</div>
    </div>
  );
}

/** The wall is watched by the room: kept signed in while it is shown and live. */
function WallSessionWatch() {
  const { status } = useLiveStream();
  return <SessionWatch isWatching={status === 'open'} />;
}

function WallScreen() {
  const scale = useWallScale();
  const { t, locale } = useWallT();
  const ctx = useMemo<OptionContext>(() => ({ t, locale, scale }), [t, locale, scale]);
  const { summary, effect, ticker, status } = useWall();
  const now = useNow(1000);
  const gap = px(ctx, 14);
  // A column's panels take its width, never their content's: long words are cut, not spilled.
  const column = {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    gap,
    minHeight: 0,
    minWidth: 0,
  } as const;
  return (
    <div
      data-testid="wall"
      data-loaded={summary ? 'true' : 'false'}
      style={{
        width: '100vw',
        height: '100vh',
        overflow: 'hidden',
        background: WALL.bg,
        display: 'flex',
        justifyContent: 'center',
        alignItems: 'center',
      }}
    >
      <div
        style={{
          width: DESIGN.width * scale,
          height: DESIGN.height * scale,
          padding: px(ctx, 18),
          boxSizing: 'border-box',
          display: 'grid',
          gridTemplateRows: `${px(ctx, 52)}px auto 1fr ${px(ctx, 52)}px`,
          position: 'relative',
          gap,
          color: WALL.text,
          background: `radial-gradient(ellipse at 50% 40%, rgba(20, 80, 140, 0.35), transparent 70%)`,
        }}
      >
        <Header ctx={ctx} now={now} status={status} />
        <NotLiveBand ctx={ctx} status={status} />
        <KpiStrip summary={summary} effect={effect} ctx={ctx} />
        <main
          style={{
            display: 'grid',
            gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1.75fr) minmax(0, 1fr)',
            gap,
            minHeight: 0,
          }}
        >
          <div style={{ ...column, gridTemplateRows: `${px(ctx, 236)}px 1fr ${px(ctx, 224)}px` }}>
            <ClockPanel clock={summary?.clock} ctx={ctx} />
            <BanksPanel summary={summary} ctx={ctx} />
            <LapsePanel lapse={summary?.lapse} now={now} ctx={ctx} />
          </div>
          <div style={{ ...column, gridTemplateRows: `1fr ${px(ctx, 236)}px ${px(ctx, 224)}px` }}>
            <MapPanel summary={summary} ctx={ctx} />
            <HourlyPanel summary={summary} ctx={ctx} />
            <div
              style={{
                display: 'grid',
                gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)',
                gap,
                minHeight: 0,
              }}
            >
              <TasksPanel tasks={summary?.tasks} ctx={ctx} />
              <CallbacksPanel callbacks={summary?.callbacks} ctx={ctx} />
            </div>
          </div>
          <div style={{ ...column, gridTemplateRows: `0.9fr 1fr ${px(ctx, 204)}px ${px(ctx, 92)}px` }}>
            <FraudTypesPanels summary={summary} ctx={ctx} />
            <HandoffsPanel handoffs={summary?.handoffs} ctx={ctx} />
            <InvestigationPanel investigation={summary?.investigation} ctx={ctx} />
          </div>
        </main>
        <TickerBand items={ticker} ctx={ctx} />
      </div>
    </div>
  );
}

/** The command wall (质态云图): full screen, no menu, dark, designed for 1920×1080 and 3840×2160. */
export default function WallPage() {
  const client = useQueryClient();
  const checkSession = useCallback(() => void client.refetchQueries({ queryKey: SESSION_KEY }), [client]);
  return (
    <ConfigProvider theme={darkTheme}>
      <LiveStreamProvider isEnabled onRefused={checkSession}>
        <WallSessionWatch />
        <WallScreen />
      </LiveStreamProvider>
    </ConfigProvider>
  );
}

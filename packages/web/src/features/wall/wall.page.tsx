import { ArrowLeftOutlined } from '@ant-design/icons';
import { ConfigProvider } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { Link } from 'react-router';
import { LiveStreamProvider, useLiveStream } from '../../live';
import { SESSION_KEY, SessionWatch } from '../../session';
import { LanguageSwitch, darkTheme, useNow } from '../../ui';
import type { OptionContext } from './options/option-context';
import { px } from './options/option-context';
import { BanksPanel, FraudTypesPanels, HourlyPanel, MapPanel } from './panels/charts';
import { ClockPanel } from './panels/clock-panel';
import { KpiStrip } from './panels/kpi-strip';
import { HandoffsPanel, LapsePanel } from './panels/lists';
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
        <Link to="/" aria-label={t('back')} style={{ color: WALL.muted, fontSize: px(ctx, 18) }}>
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
        <span style={{ fontSize: px(ctx, 16), color: WALL.muted }}>{t('subtitle')}</span>
      </div>
      <div style={{ display: 'flex', alignItems: 'center', gap: px(ctx, 20), fontSize: px(ctx, 18) }}>
        {/* Read from across the room: a wall that is not live must not look like one that is. */}
        <span
          data-testid="live-status"
          data-status={status}
          role="status"
          style={
            isLive
              ? { color: WALL.green }
              : {
                  color: WALL.bg,
                  background: WALL.gold,
                  fontWeight: 700,
                  fontSize: px(ctx, 26),
                  padding: `${px(ctx, 2)}px ${px(ctx, 14)}px`,
                  borderRadius: px(ctx, 6),
                }
          }
        >
          ● {t(isLive ? 'live' : 'reconnecting')}
        </span>
        <span data-testid="wall-time" style={{ color: WALL.text, fontVariantNumeric: 'tabular-nums' }}>
          {now.toLocaleString(ctx.locale, { timeZone: 'Asia/Shanghai', hour12: false })}
        </span>
        {/* antd draws the switch at a fixed size: zoom it with the rest of the wall. */}
        <span style={{ zoom: ctx.scale }}>
          <LanguageSwitch />
        </span>
      </div>
    </header>
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
  const { summary, ticker, status } = useWall();
  const now = useNow(1000);
  const gap = px(ctx, 14);
  const column = { display: 'grid', gap, minHeight: 0 } as const;
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
          gridTemplateRows: `${px(ctx, 52)}px auto 1fr ${px(ctx, 46)}px`,
          gap,
          color: WALL.text,
          background: `radial-gradient(ellipse at 50% 40%, rgba(20, 80, 140, 0.35), transparent 70%)`,
        }}
      >
        <Header ctx={ctx} now={now} status={status} />
        <KpiStrip summary={summary} ctx={ctx} />
        <main style={{ display: 'grid', gridTemplateColumns: '1fr 1.75fr 1fr', gap, minHeight: 0 }}>
          <div style={{ ...column, gridTemplateRows: `${px(ctx, 240)}px 1fr ${px(ctx, 230)}px` }}>
            <ClockPanel clock={summary?.clock} ctx={ctx} />
            <BanksPanel summary={summary} ctx={ctx} />
            <LapsePanel lapse={summary?.lapse} now={now} ctx={ctx} />
          </div>
          <div style={{ ...column, gridTemplateRows: `1fr ${px(ctx, 230)}px` }}>
            <MapPanel summary={summary} ctx={ctx} />
            <HourlyPanel summary={summary} ctx={ctx} />
          </div>
          <div style={{ ...column, gridTemplateRows: `1fr 1fr ${px(ctx, 200)}px` }}>
            <FraudTypesPanels summary={summary} ctx={ctx} />
            <HandoffsPanel handoffs={summary?.handoffs} ctx={ctx} />
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

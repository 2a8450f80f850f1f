import { ApiOutlined, LogoutOutlined, SafetyCertificateFilled, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, ConfigProvider, Divider, Flex, Layout, Tooltip, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useT } from '../i18n';
import { SESSION_KEY, SessionWatch, scopeLabel, useMe, useSignOut } from '../session';
import { LanguageSwitch, consoleForPath, darkTheme } from '../ui';
import { LiveStreamProvider, useLiveStream } from '../live';
import { AlertsBell } from '../features/alerts/alerts-bell';
import { ALERT_ROLES } from '../features/alerts/use-alerts';
import { ErrorBoundary } from './error-boundary';
import { NavMenu } from './nav-menu';
import { PageLoading } from './page-loading';

const HEADER_HEIGHT = 56;
/** The roles the server streams anything to; the others open no connection. */
const LIVE_ROLES = new Set([
  'call_taker',
  'stop_payment_officer',
  'supervisor',
  'analyst',
  'bank_liaison',
  'county_police',
  // The persuasion console: episodes of the persuader's county (or all, at the centre's desk), live.
  'persuader',
  // The operator console: carrier assist requests to the liaison's operator, live.
  'telecom_liaison',
]);

function UserBox() {
  const t = useT();
  const me = useMe();
  const signOut = useSignOut();
  const scope = scopeLabel(me, t);
  return (
    <Flex align="center" gap={12} data-testid="me">
      <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1f5fbf', flex: 'none' }} />
      <Flex vertical style={{ lineHeight: 1.25 }}>
        <Typography.Text strong style={{ color: '#fff' }} data-testid="me-name">
          {me.displayName}
        </Typography.Text>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.6)', fontSize: 12 }}>
          <span data-testid="me-role">{t(`role.${me.role}`)}</span>
          {scope && <span data-testid="me-scope"> · {scope}</span>}
          {me.isDemo && <span data-testid="me-demo"> · {t('me.demo')}</span>}
        </Typography.Text>
      </Flex>
      <Tooltip title={t('me.signOut')}>
        <Button
          type="text"
          icon={<LogoutOutlined />}
          onClick={() => signOut.mutate()}
          loading={signOut.isPending}
          aria-label={t('me.signOut')}
          data-testid="signout"
        />
      </Tooltip>
    </Flex>
  );
}

function Header() {
  const t = useT();
  const me = useMe();
  return (
    <Layout.Header style={{ position: 'sticky', top: 0, zIndex: 10, display: 'flex', alignItems: 'center' }}>
      <Link
        to="/"
        style={{ display: 'flex', alignItems: 'center', gap: 10, color: '#fff' }}
        data-testid="brand"
      >
        <SafetyCertificateFilled style={{ fontSize: 24, color: '#5b9bf5' }} />
        <span style={{ fontSize: 18, fontWeight: 600, letterSpacing: 1 }}>{t('app.name')}</span>
      </Link>
      <Typography.Text style={{ color: 'rgba(255,255,255,0.55)', marginInlineStart: 16 }}>
        {t('app.subtitle')}
      </Typography.Text>
      {/* The header is dark whatever the page is, so its controls use the dark algorithm. */}
      <ConfigProvider theme={darkTheme}>
        <Flex align="center" gap={20} style={{ marginInlineStart: 'auto' }}>
          <Typography.Link href="/api/docs" target="_blank" rel="noreferrer" data-testid="api-docs-link">
            <ApiOutlined /> {t('app.apiDocs')}
          </Typography.Link>
          <LanguageSwitch />
          {ALERT_ROLES.has(me.role) && <AlertsBell />}
          <Divider orientation="vertical" style={{ height: 28, margin: 0 }} />
          <UserBox />
        </Flex>
      </ConfigProvider>
    </Layout.Header>
  );
}

/** Consoles people keep open to watch a queue: the session stays alive while they are seen and live. */
const WATCHING_CONSOLES = new Set(['stop-payment', 'bank', 'county', 'tasks']);

function ShellSessionWatch({ console }: { console: string | undefined }) {
  const { status } = useLiveStream();
  return <SessionWatch isWatching={status === 'open' && WATCHING_CONSOLES.has(console ?? '')} />;
}

/** The frame of every console except the wall: header, side menu, and the page. */
export function AppShell() {
  const t = useT();
  const { pathname } = useLocation();
  const current = consoleForPath(pathname);

  useEffect(() => {
    document.title = current ? `${t(`console.${current}.title`)} · ${t('app.name')}` : t('app.name');
  }, [current, t]);

  const me = useMe();
  const client = useQueryClient();
  const checkSession = useCallback(() => void client.refetchQueries({ queryKey: SESSION_KEY }), [client]);
  return (
    <LiveStreamProvider isEnabled={LIVE_ROLES.has(me.role)} onRefused={checkSession}>
      <ShellSessionWatch console={current} />
      <Layout style={{ minHeight: '100vh' }}>
        <Header />
        <Layout>
          <Layout.Sider
            width={224}
            style={{
              position: 'sticky',
              top: HEADER_HEIGHT,
              height: `calc(100vh - ${HEADER_HEIGHT}px)`,
              overflow: 'auto',
              borderInlineEnd: '1px solid rgba(5, 5, 5, 0.06)',
            }}
          >
            <nav aria-label={t('app.navigation')} data-testid="nav">
              <NavMenu />
            </nav>
          </Layout.Sider>
          <Layout.Content style={{ padding: 24, minWidth: 0 }}>
            <main style={{ maxWidth: 1440, margin: '0 auto' }}>
              <ErrorBoundary>
                <Suspense fallback={<PageLoading />}>
                  <Outlet />
                </Suspense>
              </ErrorBoundary>
            </main>
          </Layout.Content>
        </Layout>
      </Layout>
    </LiveStreamProvider>
  );
}

import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, Flex, Layout, Result, Typography, theme as antdTheme } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useLocale, useT } from '../../i18n';
import { ConsoleIcon } from '../../ui';

function Clock() {
  const { locale } = useLocale();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Typography.Text style={{ fontSize: 18, fontVariantNumeric: 'tabular-nums' }}>
      {now.toLocaleString(locale, { hour12: false })}
    </Typography.Text>
  );
}

function WallScreen() {
  const t = useT();
  const { token } = antdTheme.useToken();
  const title = t('console.wall.title');
  return (
    <Layout style={{ minHeight: '100vh', background: '#050b18' }} data-testid="wall">
      <Flex
        align="center"
        justify="space-between"
        style={{ padding: '16px 32px', borderBottom: `1px solid ${token.colorBorderSecondary}` }}
      >
        <Flex align="center" gap={16}>
          <Link to="/" aria-label={t('wall.back')}>
            <Button type="text" icon={<ArrowLeftOutlined />} tabIndex={-1} />
          </Link>
          <Typography.Title level={2} style={{ margin: 0, letterSpacing: 4 }} data-testid="page-title">
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.name')}</Typography.Text>
        </Flex>
        <Clock />
      </Flex>
      <Flex flex={1} align="center" justify="center">
        <Result
          icon={<ConsoleIcon console="wall" style={{ color: token.colorTextQuaternary }} />}
          title={t('placeholder.title', { console: title })}
          subTitle={
            <>
              <div>{t('placeholder.subtitle')}</div>
              <div style={{ maxWidth: 640, margin: '8px auto 0' }}>{t('console.wall.purpose')}</div>
            </>
          }
          data-testid="console-placeholder"
        />
      </Flex>
    </Layout>
  );
}

/** Wall screens run unattended on a large display: full screen, no side menu, dark for a dim room. */
export default function WallPage() {
  // A nested provider inherits the app theme's tokens and only swaps the algorithm.
  return (
    <ConfigProvider theme={{ algorithm: antdTheme.darkAlgorithm }}>
      <WallScreen />
    </ConfigProvider>
  );
}

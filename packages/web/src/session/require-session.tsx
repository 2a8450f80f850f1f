import { Button, Flex, Modal, Result, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { PageLoading } from '../app/page-loading';
import { errorText, useLocale, useT } from '../i18n';
import { signInPath } from './session-state';
import { useSession } from './use-session';

/** Renders its children only for a signed-in user; anyone else goes to the sign-in page and comes back. */
export function RequireSession({ children }: { children: ReactNode }) {
  const t = useT();
  const { locale } = useLocale();
  const { pathname, search, hash } = useLocation();
  const session = useSession();

  if (session.data?.status === 'signed-in') return children;
  // Ended while in use: say so where the user is, with the way back to this page after signing in.
  if (session.data?.status === 'signed-out' && session.data.reason === 'expired')
    return <SessionEnded to={signInPath(pathname + search + hash, 'expired')} />;
  if (session.data?.status === 'signed-out')
    return <Navigate to={signInPath(pathname + search + hash, session.data.reason)} replace />;
  if (session.isError)
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Result
          status="warning"
          title={t('session.unreachable')}
          subTitle={errorText(locale, session.error)}
          data-testid="session-error"
          extra={
            <Button type="primary" onClick={() => void session.refetch()}>
              {t('home.retry')}
            </Button>
          }
        />
      </Flex>
    );
  return <PageLoading />;
}

function SessionEnded({ to }: { to: string }) {
  const t = useT();
  return (
    <Modal
      open
      title={t('session.ended.title')}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={null}
    >
      <div data-testid="session-ended">
        <Typography.Paragraph>{t('session.ended.body')}</Typography.Paragraph>
        <Link to={to} replace data-testid="session-ended-sign-in">
          <Button type="primary">{t('session.ended.signIn')}</Button>
        </Link>
      </div>
    </Modal>
  );
}

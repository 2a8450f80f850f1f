import { Button, Flex, Result } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageLoading } from '../app/page-loading';
import { useT } from '../i18n';
import { signInPath } from './session-state';
import { useSession } from './use-session';

/** Renders its children only for a signed-in user; anyone else goes to the sign-in page and comes back. */
export function RequireSession({ children }: { children: ReactNode }) {
  const t = useT();
  const { pathname, search, hash } = useLocation();
  const session = useSession();

  if (session.data?.status === 'signed-in') return children;
  if (session.data?.status === 'signed-out')
    return <Navigate to={signInPath(pathname + search + hash, session.data.reason)} replace />;
  if (session.isError)
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Result
          status="warning"
          title={t('session.unreachable')}
          subTitle={session.error.message}
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

import { useQuery } from '@tanstack/react-query';
import { Alert, Typography } from 'antd';
import { api } from '../../api';
import { useT } from '../../i18n';

const SETUP_KEY = ['/api/auth/setup'] as const;
const COMMAND = 'fanzha user add --username <name> --name "<display name>" --role admin';

/**
 * On an installation without any admin, says exactly how to create the first one (nobody can sign in to
 * do it from here). Shows nothing once an admin exists, or when the server does not answer.
 */
export function FirstAdminNotice() {
  const t = useT();
  const setup = useQuery({
    queryKey: SETUP_KEY,
    queryFn: ({ signal }) => api.GET('/api/auth/setup', { signal }),
    retry: false,
  });
  if (!setup.data?.needsFirstAdmin) return null;
  const code = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="signin-first-admin"
      style={{ width: '100%', maxWidth: 640 }}
      title={t('signIn.firstAdmin.title')}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            {t('signIn.firstAdmin.intro')}
          </Typography.Paragraph>
          <ol style={{ paddingInlineStart: 20, margin: 0 }}>
            <li>
              <Typography.Paragraph style={{ marginBottom: 8 }}>
                {t('signIn.firstAdmin.env')}
              </Typography.Paragraph>
            </li>
            <li>
              <Typography.Paragraph style={{ marginBottom: 4 }}>
                {t('signIn.firstAdmin.cli')}
              </Typography.Paragraph>
              <Typography.Paragraph
                copyable
                style={{ ...code, marginBottom: 8 }}
                data-testid="signin-first-admin-cli"
              >
                {COMMAND}
              </Typography.Paragraph>
            </li>
          </ol>
          <Typography.Text>{t('signIn.firstAdmin.then')}</Typography.Text>
        </>
      }
    />
  );
}

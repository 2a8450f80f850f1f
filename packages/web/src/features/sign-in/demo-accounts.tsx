import { ExperimentOutlined, KeyOutlined } from '@ant-design/icons';
import type { paths } from '@fanzha/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Tag, Typography } from 'antd';
import { api } from '../../api';
import { hasMessage, useT } from '../../i18n';

/** `GET /api/demo/accounts`: exists only on a demo server (FANZHA_DEMO=on), public, never real accounts. */
export type DemoAccount =
  paths['/api/demo/accounts']['get']['responses'][200]['content']['application/json']['accounts'][number];

const DEMO_KEY = ['/api/demo/accounts'] as const;

export function useDemoAccounts() {
  return useQuery({
    queryKey: DEMO_KEY,
    queryFn: ({ signal }) => api.GET('/api/demo/accounts', { signal }),
    // A real server answers 404: no panel, and no retries to say so.
    retry: false,
    staleTime: 0,
    meta: { isAuthFlow: true },
  });
}

/** One click fills username and password and goes on: how newcomers try the consoles. */
export function DemoAccountsPanel({ onPick }: { onPick: (account: DemoAccount) => void }) {
  const t = useT();
  const demo = useDemoAccounts();
  const accounts = demo.data?.accounts ?? [];
  if (!demo.isSuccess || accounts.length === 0) return null;
  return (
    <Card
      size="small"
      style={{ width: '100%', maxWidth: 400 }}
      title={
        <Flex align="center" gap={8}>
          <ExperimentOutlined />
          {t('signIn.demo.title')}
          <Tag color="orange" style={{ marginInlineStart: 'auto' }}>
            DEMO
          </Tag>
        </Flex>
      }
      data-testid="signin-demo"
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {t('signIn.demo.hint')}
      </Typography.Paragraph>
      <Flex wrap gap={6}>
        {accounts.map((a) => {
          const roleKey = `role.${a.role}`;
          return (
            <Button
              key={a.username}
              size="small"
              onClick={() => onPick(a)}
              data-testid={`signin-demo-${a.username}`}
            >
              {a.displayName}
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {hasMessage(roleKey) ? t(roleKey) : a.role}
              </Typography.Text>
            </Button>
          );
        })}
      </Flex>
    </Card>
  );
}

/** On the code step of a demo account: fetch its current code and enter it. */
export function DemoCodeButton({ username, onCode }: { username: string; onCode: (code: string) => void }) {
  const t = useT();
  const demo = useDemoAccounts();
  if (!demo.data?.accounts.some((a) => a.username === username)) return null;
  return (
    <Button
      block
      icon={<KeyOutlined />}
      loading={demo.isFetching}
      onClick={() =>
        void demo.refetch().then((result) => {
          const code = result.data?.accounts.find((a) => a.username === username)?.totpCode;
          if (code) onCode(code);
        })
      }
      data-testid="signin-demo-code"
    >
      {t('signIn.demo.code')}
    </Button>
  );
}

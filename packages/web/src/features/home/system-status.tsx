import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Descriptions, Tag, Typography, type DescriptionsProps } from 'antd';
import { ApiError, type Health } from '../../api';
import { formatDuration, useT, type Translate } from '../../i18n';
import { outboxText } from './outbox-text';
import { useHealth } from './use-health';

function Value({ field, code, note }: { field: string; code: string; note?: string }) {
  return (
    <span>
      <Tag data-testid={`health-${field}`} style={{ fontFamily: 'monospace' }}>
        {code}
      </Tag>
      {note && <Typography.Text type="secondary">{note}</Typography.Text>}
    </span>
  );
}

function items(health: Health, t: Translate): DescriptionsProps['items'] {
  const isOk = health.status === 'ok';
  const isDatabaseOk = health.checks.database === 'ok';
  return [
    {
      key: 'status',
      label: t('home.field.status'),
      children: (
        <Badge
          status={isOk ? 'success' : 'error'}
          text={t(`home.status.${health.status}`)}
          data-testid="health-status"
        />
      ),
    },
    {
      key: 'version',
      label: t('home.field.version'),
      children: <Value field="version" code={health.version} />,
    },
    {
      key: 'uptime',
      label: t('home.field.uptime'),
      children: <span data-testid="health-uptime">{formatDuration(health.uptimeS, t)}</span>,
    },
    {
      key: 'storage',
      label: t('home.field.storage'),
      children: <Value field="storage" code={health.storage} note={t(`home.storage.${health.storage}`)} />,
    },
    {
      key: 'bus',
      label: t('home.field.bus'),
      children: <Value field="bus" code={health.bus} note={t(`home.bus.${health.bus}`)} />,
    },
    {
      key: 'role',
      label: t('home.field.role'),
      children: <Value field="role" code={health.role} note={t(`home.role.${health.role}`)} />,
    },
    {
      key: 'database',
      label: t('home.field.database'),
      children: (
        <Badge
          status={isDatabaseOk ? 'success' : 'error'}
          text={t(`home.database.${health.checks.database}`)}
          data-testid="health-database"
        />
      ),
    },
    {
      key: 'outbox',
      label: t('home.field.outbox'),
      children: <span data-testid="health-outbox">{outboxText(health.checks, t)}</span>,
    },
  ];
}

export function SystemStatus() {
  const t = useT();
  const state = useHealth();
  const reload = (
    <Button
      type="text"
      icon={<ReloadOutlined />}
      onClick={state.reload}
      loading={state.status === 'loading'}
      aria-label={t('home.retry')}
    />
  );

  return (
    <Card
      title={t('home.status')}
      extra={reload}
      loading={state.status === 'loading'}
      data-testid="system-status"
    >
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          data-testid="health-error"
          title={t('home.error.title')}
          description={
            <>
              <div>{state.error.message}</div>
              {state.error instanceof ApiError && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('home.error.detail', {
                    code: state.error.code,
                    requestId: state.error.requestId ?? '—',
                  })}
                </Typography.Text>
              )}
            </>
          }
          action={<Button onClick={state.reload}>{t('home.retry')}</Button>}
        />
      )}
      {state.status === 'ok' && (
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} items={items(state.health, t)} />
      )}
    </Card>
  );
}

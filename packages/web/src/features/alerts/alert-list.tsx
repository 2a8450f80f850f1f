import { CheckOutlined } from '@ant-design/icons';
import type { AlertView } from '@fanzha/contracts';
import { Button, Empty, Flex, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../i18n';
import { MONO_STYLE, formatCentreTime } from '../../ui';
import { useAcknowledgeAlert } from './use-alerts';

/** Open alerts, each with its report and an acknowledge button; escalations (督办) stand out in red. */
export function AlertList({ alerts, onOpen }: { alerts: readonly AlertView[]; onOpen?: () => void }) {
  const t = useT();
  const ack = useAcknowledgeAlert();
  if (alerts.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.none')} />;
  return (
    <List
      size="small"
      dataSource={[...alerts]}
      data-testid="alert-list"
      renderItem={(a) => (
        <List.Item
          key={a.id}
          data-testid={`alert-${a.id}`}
          data-kind={a.kind}
          actions={[
            <Button
              key="ack"
              size="small"
              icon={<CheckOutlined />}
              loading={ack.isPending && ack.variables === a.id}
              onClick={() => ack.mutate(a.id)}
              data-testid={`alert-ack-${a.id}`}
            >
              {t('alerts.acknowledge')}
            </Button>,
          ]}
        >
          <Flex vertical gap={2} style={{ minWidth: 0 }}>
            <Flex gap={6} align="center" wrap>
              <Tag color={a.level === 'escalation' ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }}>
                {t(`alerts.level.${a.level}`)}
              </Tag>
              <Typography.Text strong>{t(`alerts.kind.${a.kind}`)}</Typography.Text>
              <Link to={`/reports/${a.reportId}`} style={MONO_STYLE} onClick={onOpen}>
                {a.reportNumber}
              </Link>
            </Flex>
            <Typography.Text style={{ fontSize: 12 }}>{a.message}</Typography.Text>
            <Typography.Text type="secondary" style={{ ...MONO_STYLE, fontSize: 12 }}>
              {t('alerts.raisedAt', { at: formatCentreTime(a.raisedAt) })}
              {a.dueAt && ` · ${t('alerts.dueAt', { at: formatCentreTime(a.dueAt) })}`}
            </Typography.Text>
          </Flex>
        </List.Item>
      )}
    />
  );
}

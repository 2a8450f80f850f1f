import { CheckOutlined } from '@ant-design/icons';
import type { AlertView } from '@fanzha/contracts';
import { App, Button, Checkbox, Empty, Flex, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorText, useLocale, useT } from '../../i18n';
import { MONO_STYLE, formatCentreTime } from '../../ui';
import { useAcknowledgeAlert, useAcknowledgeAlerts } from './use-alerts';

/**
 * Open alerts, each with its report and an acknowledge button; escalations (督办) stand out in red.
 * A backlog is cleared in one go: tick several, or all shown, and acknowledge them together.
 */
export function AlertList({ alerts, onOpen }: { alerts: readonly AlertView[]; onOpen?: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const ack = useAcknowledgeAlert();
  const ackMany = useAcknowledgeAlerts();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  // Only what is still shown counts: an alert acknowledged elsewhere drops out of the selection.
  const selected = alerts.filter((a) => picked.has(a.id)).map((a) => a.id);
  if (alerts.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.none')} />;
  const toggle = (id: string, isOn: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (isOn) next.add(id);
      else next.delete(id);
      return next;
    });
  const acknowledgeSelected = () =>
    ackMany.mutate(selected, {
      onSuccess: ({ alerts: done }) => {
        setPicked(new Set());
        void message.success(t('alerts.acknowledgedMany', { n: done.length }));
      },
      onError: (error) => void message.error(t('alerts.failed', { reason: errorText(locale, error) })),
    });
  const isAll = selected.length === alerts.length;
  return (
    <>
      <Flex
        justify="space-between"
        align="center"
        gap={8}
        style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}
      >
        <Checkbox
          checked={isAll}
          indeterminate={selected.length > 0 && !isAll}
          onChange={(e) => setPicked(e.target.checked ? new Set(alerts.map((a) => a.id)) : new Set())}
          data-testid="alerts-select-all"
        >
          {t('alerts.selectAll', { n: alerts.length })}
        </Checkbox>
        <Button
          size="small"
          type="primary"
          icon={<CheckOutlined />}
          disabled={selected.length === 0}
          loading={ackMany.isPending}
          onClick={acknowledgeSelected}
          data-testid="alerts-ack-selected"
        >
          {t('alerts.acknowledgeSelected', { n: selected.length })}
        </Button>
      </Flex>
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
            <Flex gap={8} align="flex-start" style={{ minWidth: 0 }}>
              <Checkbox
                checked={picked.has(a.id)}
                onChange={(e) => toggle(a.id, e.target.checked)}
                aria-label={t('alerts.select')}
                data-testid={`alert-select-${a.id}`}
                style={{ marginTop: 2 }}
              />
              <Flex vertical gap={2} style={{ minWidth: 0 }}>
                <Flex gap={6} align="center" wrap>
                  <Tag color={a.level === 'escalation' ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }}>
                    {t(`alerts.level.${a.level}`)}
                  </Tag>
                  <Typography.Text strong>{t(`alerts.kind.${a.kind}`)}</Typography.Text>
                  {a.reportId && (
                    <Link to={`/reports/${a.reportId}`} style={MONO_STYLE} onClick={onOpen}>
                      {a.reportNumber}
                    </Link>
                  )}
                </Flex>
                <Typography.Text style={{ fontSize: 12 }}>{a.message}</Typography.Text>
                <Typography.Text type="secondary" style={{ ...MONO_STYLE, fontSize: 12 }}>
                  {t('alerts.raisedAt', { at: formatCentreTime(a.raisedAt) })}
                  {a.dueAt && ` · ${t('alerts.dueAt', { at: formatCentreTime(a.dueAt) })}`}
                </Typography.Text>
              </Flex>
            </Flex>
          </List.Item>
        )}
      />
    </>
  );
}

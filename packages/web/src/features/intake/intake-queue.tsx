import type { ReportList } from '@fanzha/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, Flex, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useLiveStream } from '../../live';
import { MONO_STYLE, formatCentreTime, formatYuan, TEXT_COLOURS } from '../../ui';

const INTAKE_QUEUE_KEY = 'intake-queue';

/** Drafts opened from warning episodes, waiting for any call-taker (the server lists them with one's own). */
export const waitingDrafts = (list: ReportList | undefined, currentId: string) =>
  (list?.reports ?? []).filter((r) => r.status === 'draft' && r.fromEpisodeId && r.id !== currentId);

function useIntakeQueue() {
  const client = useQueryClient();
  // Each draft opened, taken up or filed comes by on the stream: the list is read again.
  useLiveStream((message) => {
    if (message === null || message.type === 'report')
      void client.invalidateQueries({ queryKey: [INTAKE_QUEUE_KEY] });
  });
  return useQuery({
    queryKey: [INTAKE_QUEUE_KEY],
    queryFn: ({ signal }) =>
      api.GET('/api/reports', { params: { query: { status: 'draft', limit: 50 } }, signal }),
  });
}

/** 预警转警情 · 待接续: the intake queue beside the form; 接续 opens a waiting draft in it. */
export function IntakeQueue({
  currentId,
  onTake,
}: {
  currentId: string;
  onTake: (id: string) => Promise<boolean>;
}) {
  const t = useT();
  const query = useIntakeQueue();
  const client = useQueryClient();
  const [taking, setTaking] = useState<string | null>(null);
  const waiting = waitingDrafts(query.data, currentId);
  const take = async (id: string) => {
    setTaking(id);
    try {
      await onTake(id);
    } finally {
      setTaking(null);
      void client.invalidateQueries({ queryKey: [INTAKE_QUEUE_KEY] });
    }
  };
  return (
    <Card
      size="small"
      data-testid="intake-queue"
      title={
        <Flex gap={8} align="center">
          <Badge
            count={waiting.length}
            showZero
            color={waiting.length ? TEXT_COLOURS.danger : TEXT_COLOURS.muted}
          />
          {t('intake.queue.title')}
        </Flex>
      }
    >
      {waiting.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.queue.empty')} />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('intake.queue.hint')}
          </Typography.Text>
          {waiting.map((r) => (
            <Flex key={r.id} justify="space-between" align="center" data-testid={`intake-queue-${r.id}`}>
              <Flex vertical>
                <span style={MONO_STYLE}>{r.number}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatCentreTime(r.updatedAt)} · {formatYuan(r.totalLossFen)}
                </Typography.Text>
              </Flex>
              <Button
                size="small"
                loading={taking === r.id}
                onClick={() => void take(r.id)}
                data-testid={`intake-queue-take-${r.id}`}
              >
                {t('intake.queue.take')}
              </Button>
            </Flex>
          ))}
        </Flex>
      )}
    </Card>
  );
}

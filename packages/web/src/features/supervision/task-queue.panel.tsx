import type { TaskView } from '@fanzha/contracts';
import {
  Alert,
  Button,
  Card,
  Flex,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { MONO_STYLE, TEXT_COLOURS, formatCentreTime } from '../../ui';
import { useSupervise, useTaskQueue, useTaskQueueStream, type TaskQueueFilter } from './use-task-queue';

type Action = 'urge' | 'reassign' | 'escalate';
const unitKinds = ['county', 'bank', 'operator', 'centre'] as const;
/** The kinds of task (as `taskKinds` in the contracts, whose values stay out of the bundle). */
const taskKinds: ReadonlyArray<TaskView['kind']> = [
  'stop-payment',
  'freeze',
  'return',
  'county-task',
  'warning',
  'visit',
  'carrier-request',
  'callback',
  'complaint',
  'campaign',
  'countermeasure',
  'investigation',
  'two-cards',
  'appeal',
  'two-card-instruction',
];

/** 督办队列: every kind of instruction, overdue first, with urge / reassign / escalate. */
export function TaskQueuePanel() {
  const t = useT();
  const { locale } = useLocale();
  const [filter, setFilter] = useState<TaskQueueFilter>({ isOverdueOnly: false });
  const queue = useTaskQueue(filter);
  useTaskQueueStream();
  const supervise = useSupervise();
  const [acting, setActing] = useState<{ task: TaskView; action: Action } | null>(null);
  const [text, setText] = useState('');
  const [to, setTo] = useState<{ unitKind: (typeof unitKinds)[number]; unitCode: string }>({
    unitKind: 'county',
    unitCode: '',
  });
  const [key, setKey] = useState('');

  const open = (task: TaskView, action: Action) => {
    setActing({ task, action });
    setText('');
    setTo({ unitKind: task.owner.unitKind, unitCode: '' });
    setKey(crypto.randomUUID());
    supervise.reset();
  };
  const submit = async () => {
    if (!acting) return;
    const { task, action } = acting;
    if (action === 'urge') await supervise.mutateAsync({ action, id: task.id, note: text, key });
    else if (action === 'escalate') await supervise.mutateAsync({ action, id: task.id, reason: text, key });
    else await supervise.mutateAsync({ action, id: task.id, reason: text, to, key });
    setActing(null);
  };
  const unitName = (k: string) => t(`taskQueue.unit.${k}` as 'taskQueue.unit.county');
  const kindName = (k: string) => t(`taskQueue.kind.${k}` as 'taskQueue.kind.callback');

  const columns: TableColumnsType<TaskView> = [
    {
      title: t('taskQueue.col.kind'),
      key: 'kind',
      width: 110,
      render: (_, r) => <Tag>{kindName(r.kind)}</Tag>,
    },
    { title: t('taskQueue.col.title'), key: 'title', render: (_, r) => r.title },
    {
      title: t('taskQueue.col.owner'),
      key: 'owner',
      width: 160,
      render: (_, r) => (
        <span>
          {unitName(r.owner.unitKind)} <span style={MONO_STYLE}>{r.owner.unitCode}</span>
        </span>
      ),
    },
    {
      title: t('taskQueue.col.due'),
      key: 'due',
      width: 150,
      render: (_, r) => <span style={MONO_STYLE}>{formatCentreTime(r.dueAt)}</span>,
    },
    {
      title: t('taskQueue.col.state'),
      key: 'state',
      width: 220,
      render: (_, r) => (
        <Space size={4} wrap>
          {r.isOverdue ? <Tag color="red">{t('taskQueue.overdue')}</Tag> : <Tag>{t('taskQueue.open')}</Tag>}
          {r.urgeCount > 0 && (
            <Tag color="orange" data-testid="task-urged">
              {t('taskQueue.urged', { n: r.urgeCount })}
            </Tag>
          )}
          {r.escalationLevel > 0 && <Tag color="volcano">{t('taskQueue.escalated')}</Tag>}
          {r.isReassigned && <Tag color="blue">{t('taskQueue.reassigned')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('taskQueue.col.actions'),
      key: 'actions',
      width: 200,
      render: (_, r) => (
        <Space size={4}>
          <Button size="small" onClick={() => open(r, 'urge')} data-testid="task-urge">
            {t('taskQueue.urge')}
          </Button>
          <Button size="small" onClick={() => open(r, 'reassign')}>
            {t('taskQueue.reassign')}
          </Button>
          <Button size="small" danger disabled={r.escalationLevel > 0} onClick={() => open(r, 'escalate')}>
            {t('taskQueue.escalate')}
          </Button>
        </Space>
      ),
    },
  ];

  const tasks = queue.data?.tasks ?? [];
  return (
    <Card
      size="small"
      title={`${t('taskQueue.title')} · ${queue.data?.total ?? 0}`}
      style={{ marginTop: 12 }}
      data-testid="task-queue"
      extra={
        <Flex gap={8} align="center" wrap>
          <Select
            allowClear
            size="small"
            style={{ width: 130 }}
            aria-label={t('taskQueue.filter.kind')}
            placeholder={t('taskQueue.filter.kind')}
            value={filter.kind}
            onChange={(kind) => setFilter({ ...filter, kind })}
            options={taskKinds.map((k) => ({ value: k, label: kindName(k) }))}
          />
          <Select
            allowClear
            size="small"
            style={{ width: 130 }}
            aria-label={t('taskQueue.filter.unitKind')}
            placeholder={t('taskQueue.filter.unitKind')}
            value={filter.unitKind}
            onChange={(unitKind) => setFilter({ ...filter, unitKind })}
            options={unitKinds.map((k) => ({ value: k, label: unitName(k) }))}
          />
          <Typography.Text type="secondary">{t('taskQueue.filter.overdue')}</Typography.Text>
          <Switch
            size="small"
            aria-label={t('taskQueue.filter.overdue')}
            checked={filter.isOverdueOnly}
            onChange={(isOverdueOnly) => setFilter({ ...filter, isOverdueOnly })}
          />
        </Flex>
      }
      styles={{ body: { padding: 0 } }}
    >
      {queue.error && (
        <Alert
          type="error"
          showIcon
          title={t('taskQueue.loadError')}
          description={errorText(locale, queue.error)}
        />
      )}
      <Table
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={tasks}
        pagination={false}
        loading={queue.isLoading}
        locale={{ emptyText: t('taskQueue.empty') }}
        onRow={(r) => ({ 'data-testid': `task-row-${r.sourceId}` }) as object}
        rowClassName={() => ''}
        style={{ color: TEXT_COLOURS.muted }}
      />
      <Modal
        open={acting !== null}
        title={acting ? `${t(`taskQueue.${acting.action}`)} · ${acting.task.title}` : ''}
        okText={t(acting ? `taskQueue.${acting.action}` : 'taskQueue.urge')}
        onOk={() => void submit().catch(() => undefined)}
        onCancel={() => setActing(null)}
        confirmLoading={supervise.isPending}
        okButtonProps={{ 'data-testid': 'task-action-ok' }}
        destroyOnHidden
      >
        <Flex vertical gap={8}>
          {acting?.action === 'reassign' && (
            <>
              <Typography.Text>{t('taskQueue.to.unitKind')}</Typography.Text>
              <Select
                aria-label={t('taskQueue.to.unitKind')}
                value={to.unitKind}
                onChange={(unitKind) => setTo({ ...to, unitKind })}
                options={unitKinds.map((k) => ({ value: k, label: unitName(k) }))}
              />
              <Input
                aria-label={t('taskQueue.to.unitCode')}
                placeholder={t('taskQueue.to.unitCode')}
                value={to.unitCode}
                onChange={(e) => setTo({ ...to, unitCode: e.target.value })}
              />
            </>
          )}
          <Typography.Text>
            {t(acting?.action === 'urge' ? 'taskQueue.note' : 'taskQueue.reason')}
          </Typography.Text>
          <Input.TextArea
            aria-label={t(acting?.action === 'urge' ? 'taskQueue.note' : 'taskQueue.reason')}
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="task-action-text"
          />
          {supervise.error && <Alert type="error" showIcon title={errorText(locale, supervise.error)} />}
        </Flex>
      </Modal>
    </Card>
  );
}

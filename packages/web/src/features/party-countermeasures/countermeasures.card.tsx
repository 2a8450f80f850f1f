import type { CountermeasureAnswer, CountermeasureView } from '@fanzha/contracts';
import { countermeasureKindNamesZh, countermeasureRefusalReasons } from '@fanzha/domain';
import { App, Button, Card, Flex, Modal, Select, Table, Tag, type TableProps } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { formatDuration, useT } from '../../i18n';
import { MONO_STYLE, formatCentreTime, useNow } from '../../ui';
import {
  useCountermeasureAnswer,
  useCountermeasureStream,
  usePendingCountermeasures,
} from './use-countermeasures';

type Answer = CountermeasureAnswer['answer'];
type Refusal = NonNullable<CountermeasureAnswer['refusalReason']>;

/** What the operator may answer from each status that awaits it. */
const answersFor = (r: CountermeasureView): Answer[] =>
  r.status === 'lift_requested'
    ? ['lifted']
    : r.status === 'requested'
      ? ['acknowledged', 'executed', 'refused']
      : ['executed', 'refused'];

const rowProps = (r: CountermeasureView) =>
  ({ 'data-testid': `countermeasure-row-${r.id}`, 'data-status': r.status }) as HTMLAttributes<HTMLElement>;

/**
 * 技术反制: the countermeasures awaiting the liaison's organisation — an operator's blocks, takedowns and app
 * blocks, a bank's account restrictions, and lifts asked of either — live, answered in place.
 */
export function CountermeasuresCard({ party }: { party: 'operator' | 'bank' }) {
  const t = useT();
  const { message } = App.useApp();
  const now = useNow();
  const pending = usePendingCountermeasures();
  useCountermeasureStream();
  const answer = useCountermeasureAnswer();
  const [refusing, setRefusing] = useState<CountermeasureView | null>(null);
  const [reason, setReason] = useState<Refusal>('no_such_target');

  const send = (r: CountermeasureView, a: Answer, why?: Refusal) =>
    answer.mutate(
      { id: r.id, key: crypto.randomUUID(), body: { answer: a, ...(why ? { refusalReason: why } : {}) } },
      {
        onSuccess: () => {
          void message.success(t('operator.answered.ok'));
          setRefusing(null);
        },
        onError: (error) => void message.error(error.message),
      },
    );

  const columns: TableProps<CountermeasureView>['columns'] = [
    {
      title: t('countermeasures.col.kind'),
      key: 'kind',
      render: (_, r) => (
        <Tag color={r.status === 'lift_requested' ? 'blue' : 'red'}>
          {countermeasureKindNamesZh[r.kind]}
          {r.status === 'lift_requested' ? t('countermeasures.lift') : ''}
        </Tag>
      ),
    },
    {
      title: t('countermeasures.col.value'),
      key: 'value',
      render: (_, r) => <span style={MONO_STYLE}>{r.value}</span>,
    },
    { title: t('countermeasures.col.reason'), key: 'reason', render: (_, r) => r.liftReason ?? r.reason },
    {
      title: t('countermeasures.col.due'),
      key: 'due',
      render: (_, r) =>
        r.isOverdue ? (
          <Tag color="red">{t('countermeasures.overdue')}</Tag>
        ) : r.dueAt ? (
          <span title={formatCentreTime(r.dueAt)}>
            {formatDuration(Math.max(0, (Date.parse(r.dueAt) - now.getTime()) / 1000), t)}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('operator.col.result'),
      key: 'answer',
      render: (_, r) => (
        <Flex gap={4} wrap>
          {answersFor(r).map((a) => (
            <Button
              key={a}
              size="small"
              type={a === 'executed' || a === 'lifted' ? 'primary' : 'default'}
              danger={a === 'refused'}
              loading={answer.isPending && answer.variables.id === r.id && answer.variables.body.answer === a}
              onClick={() => (a === 'refused' ? setRefusing(r) : send(r, a))}
              data-testid={`countermeasure-answer-${a}`}
            >
              {t(`countermeasures.answer.${a}`)}
            </Button>
          ))}
        </Flex>
      ),
    },
  ];

  return (
    <Card
      size="small"
      title={t(party === 'bank' ? 'countermeasures.title.bank' : 'countermeasures.title')}
      styles={{ body: { padding: 0 } }}
    >
      <Table
        size="small"
        rowKey="id"
        dataSource={pending.data?.items ?? []}
        columns={columns}
        loading={pending.isPending}
        pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
        locale={{ emptyText: t('countermeasures.empty') }}
        onRow={rowProps}
        data-testid="countermeasures-open"
      />
      <Modal
        open={refusing !== null}
        title={t('countermeasures.refuse.title')}
        okText={t('operator.refuse.submit')}
        okButtonProps={{ loading: answer.isPending, 'data-testid': 'countermeasure-refuse-submit' }}
        onOk={() => refusing && send(refusing, 'refused', reason)}
        onCancel={() => setRefusing(null)}
      >
        <Select<Refusal>
          style={{ width: '100%' }}
          value={reason}
          onChange={setReason}
          options={countermeasureRefusalReasons.map((value) => ({
            value,
            label: t(`countermeasures.refusal.${value}`),
          }))}
          data-testid="countermeasure-refuse-reason"
        />
      </Modal>
    </Card>
  );
}

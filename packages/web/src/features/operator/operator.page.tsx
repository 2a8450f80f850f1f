import type { CarrierRequestView } from '@fanzha/contracts';
import type { CarrierAnswer } from '@fanzha/domain';
import { Alert, App, Button, Card, Flex, Input, Modal, Table, Tag, type TableProps } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { formatDuration, useT, type Translate } from '../../i18n';
import { LiveBadge } from '../../live';
import { useMe } from '../../session';
import { MONO_STYLE, PageHeading, formatCentreTime, useNow } from '../../ui';
import { GradeTag } from '../warnings/episode-labels';
import { CountermeasuresCard } from '../party-countermeasures/countermeasures.card';
import { TwoCardsCard } from '../party-countermeasures/two-cards.card';
import { useCarrierAnswer, useCarrierRequests, useCarrierStream } from './use-operator';

const ANSWERS: readonly CarrierAnswer[] = [
  'interrupted',
  'forwarding_cleared',
  'not_our_subscriber',
  'refused',
];

const rowProps = (r: CarrierRequestView) =>
  ({ 'data-testid': `carrier-row-${r.id}`, 'data-status': r.status }) as HTMLAttributes<HTMLElement>;

function columns(
  t: Translate,
  now: number,
  answerCell?: (r: CarrierRequestView) => React.ReactNode,
): TableProps<CarrierRequestView>['columns'] {
  return [
    {
      title: t('warnings.col.grade'),
      key: 'grade',
      width: 64,
      render: (_, r) => <GradeTag grade={r.grade} />,
    },
    {
      title: t('operator.col.phone'),
      key: 'phone',
      render: (_, r) => <span style={MONO_STYLE}>{r.phone ?? '—'}</span>,
    },
    { title: t('warnings.col.county'), key: 'county', render: (_, r) => r.countyName ?? '—' },
    {
      title: t('operator.col.asks'),
      key: 'asks',
      render: (_, r) => r.asks.map((a) => <Tag key={a}>{t(`operator.ask.${a}`)}</Tag>),
    },
    {
      title: t('operator.col.waiting'),
      key: 'waiting',
      render: (_, r) =>
        r.answeredAt
          ? formatCentreTime(r.answeredAt)
          : formatDuration((now - Date.parse(r.createdAt)) / 1000, t),
    },
    {
      title: t('operator.col.result'),
      key: 'result',
      render: (_, r) =>
        answerCell
          ? answerCell(r)
          : r.answer && (
              <span>
                {t(`operator.answer.${r.answer}`)}
                {r.reason ? `（${r.reason}）` : ''}
              </span>
            ),
    },
  ];
}

/**
 * 运营商协查: the carrier assist requests to this liaison's operator, live. Each asks to interrupt the
 * subscriber's line and clear any call forwarding; the liaison answers what the operator did.
 */
export default function OperatorPage() {
  const t = useT();
  const { message } = App.useApp();
  const me = useMe();
  const now = useNow();
  const open = useCarrierRequests('open');
  const answered = useCarrierRequests('answered');
  useCarrierStream();
  const answer = useCarrierAnswer();
  const [refusing, setRefusing] = useState<CarrierRequestView | null>(null);
  const [reason, setReason] = useState('');
  const operatorName = me.operatorCode ? t(`operator.name.${me.operatorCode}`) : '—';

  const send = (r: CarrierRequestView, a: CarrierAnswer, why?: string) =>
    answer.mutate(
      { id: r.id, body: { answer: a, ...(why ? { reason: why } : {}) } },
      {
        onSuccess: () => {
          void message.success(t('operator.answered.ok'));
          setRefusing(null);
          setReason('');
        },
        onError: (error) => void message.error(error.message),
      },
    );
  const answerButtons = (r: CarrierRequestView) => (
    <Flex gap={4} wrap>
      {ANSWERS.map((a) => (
        <Button
          key={a}
          size="small"
          type={a === 'interrupted' ? 'primary' : 'default'}
          danger={a === 'refused'}
          loading={answer.isPending && answer.variables.id === r.id && answer.variables.body.answer === a}
          onClick={() => (a === 'refused' ? setRefusing(r) : send(r, a))}
          data-testid={`carrier-answer-${a}`}
        >
          {t(`operator.answer.${a}`)}
        </Button>
      ))}
    </Flex>
  );

  return (
    <>
      <PageHeading
        title={`${t('console.operator.title')} · ${operatorName}`}
        description={t('operator.description')}
        extra={<LiveBadge />}
      />
      {open.isError && (
        <Alert type="error" showIcon title={t('desk.loadError')} description={open.error.message} />
      )}
      <Flex vertical gap={12}>
        <CountermeasuresCard party="operator" />
        <TwoCardsCard />
        <Card size="small" title={t('operator.open')} styles={{ body: { padding: 0 } }}>
          <Table
            size="small"
            rowKey="id"
            dataSource={open.data?.requests ?? []}
            columns={columns(t, now.getTime(), answerButtons)}
            loading={open.isPending}
            pagination={false}
            locale={{ emptyText: t('operator.empty') }}
            onRow={rowProps}
            data-testid="carrier-open"
          />
        </Card>
        <Card size="small" title={t('operator.answered')} styles={{ body: { padding: 0 } }}>
          <Table
            size="small"
            rowKey="id"
            dataSource={answered.data?.requests ?? []}
            columns={columns(t, now.getTime())}
            pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
            locale={{ emptyText: t('desk.answered.empty') }}
            onRow={rowProps}
            data-testid="carrier-answered"
          />
        </Card>
      </Flex>
      <Modal
        open={refusing !== null}
        title={t('operator.refuse.title')}
        okText={t('operator.refuse.submit')}
        okButtonProps={{
          disabled: reason.trim().length < 2,
          loading: answer.isPending,
          'data-testid': 'carrier-refuse-submit',
        }}
        onOk={() => refusing && send(refusing, 'refused', reason.trim())}
        onCancel={() => setRefusing(null)}
      >
        <Input.TextArea
          value={reason}
          maxLength={500}
          onChange={(ev) => setReason(ev.target.value)}
          data-testid="carrier-refuse-reason"
        />
      </Modal>
    </>
  );
}

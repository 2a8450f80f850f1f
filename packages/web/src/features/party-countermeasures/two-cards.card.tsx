import type { TwoCardInstructionAnswer, TwoCardInstructionView } from '@fanzha/contracts';
import { twoCardRefusalReasons } from '@fanzha/domain';
import { App, Button, Card, Flex, Modal, Select, Table, Tag, type TableProps } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { formatDuration, useT } from '../../i18n';
import { MONO_STYLE, formatCentreTime, useNow } from '../../ui';
import {
  usePendingTwoCardInstructions,
  useTwoCardInstructionAnswer,
  useTwoCardInstructionStream,
} from './use-two-card-instructions';

type Answer = TwoCardInstructionAnswer['answer'];
type Refusal = NonNullable<TwoCardInstructionAnswer['refusalReason']>;

const answersFor = (r: TwoCardInstructionView): Answer[] =>
  r.status === 'sent' ? ['acknowledged', 'executed', 'refused'] : ['executed', 'refused'];

const rowProps = (r: TwoCardInstructionView) =>
  ({ 'data-testid': `two-card-row-${r.id}`, 'data-status': r.status }) as HTMLAttributes<HTMLElement>;

/**
 * 断卡惩戒: the two-cards measures the liaison's bank (account measures against holders whose cards it opened) or
 * operator (limits on new phone cards) is to carry out, applied or lifted — signed by the centre, live, answered
 * in place. The holder's ID number is shown here only, to the party the measure is addressed to.
 */
export function TwoCardsCard() {
  const t = useT();
  const { message } = App.useApp();
  const now = useNow();
  const pending = usePendingTwoCardInstructions();
  useTwoCardInstructionStream();
  const answer = useTwoCardInstructionAnswer();
  const [refusing, setRefusing] = useState<TwoCardInstructionView | null>(null);
  const [reason, setReason] = useState<Refusal>('not_our_customer');

  const send = (r: TwoCardInstructionView, a: Answer, why?: Refusal) =>
    answer.mutate(
      { id: r.id, body: { answer: a, ...(why ? { refusalReason: why } : {}) } },
      {
        onSuccess: () => {
          void message.success(t('operator.answered.ok'));
          setRefusing(null);
        },
        onError: (error) => void message.error(error.message),
      },
    );

  const columns: TableProps<TwoCardInstructionView>['columns'] = [
    {
      title: t('twoCards.col.kind'),
      key: 'kind',
      render: (_, r) => (
        <Tag color={r.action === 'lift' ? 'blue' : 'red'}>
          {t(`twoCards.kind.${r.kind}`)}
          {r.action === 'lift' ? t('twoCards.action.lift') : ''}
        </Tag>
      ),
    },
    {
      title: t('twoCards.col.idNumber'),
      key: 'holder',
      render: (_, r) => <span style={MONO_STYLE}>{r.instruction.holder.idNumber}</span>,
    },
    {
      title: t('twoCards.col.cards'),
      key: 'cards',
      render: (_, r) => <span style={MONO_STYLE}>{r.instruction.cards.join(', ') || '—'}</span>,
    },
    {
      title: t('twoCards.col.start'),
      key: 'period',
      render: (_, r) => `${r.instruction.startsAt.slice(0, 10)} – ${r.instruction.endsAt.slice(0, 10)}`,
    },
    { title: t('twoCards.col.unit'), key: 'unit', render: (_, r) => r.instruction.decidingUnit },
    {
      title: t('twoCards.col.reason'),
      key: 'reason',
      render: (_, r) => r.instruction.liftReason ?? r.instruction.reason,
    },
    {
      title: t('twoCards.col.due'),
      key: 'due',
      render: (_, r) =>
        r.isOverdue || Date.parse(r.dueAt) <= now.getTime() ? (
          <Tag color="red" title={formatCentreTime(r.dueAt)} data-testid="two-card-overdue">
            {t('twoCards.overdue')}
          </Tag>
        ) : (
          <span title={formatCentreTime(r.dueAt)} data-testid="two-card-due">
            {formatDuration(Math.max(0, (Date.parse(r.dueAt) - now.getTime()) / 1000), t)}
          </span>
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
              type={a === 'executed' ? 'primary' : 'default'}
              danger={a === 'refused'}
              loading={answer.isPending && answer.variables.id === r.id && answer.variables.body.answer === a}
              onClick={() => (a === 'refused' ? setRefusing(r) : send(r, a))}
              data-testid={`two-card-answer-${a}`}
            >
              {t(`twoCards.answer.${a}`)}
            </Button>
          ))}
        </Flex>
      ),
    },
  ];

  return (
    <Card size="small" title={t('twoCards.party.title')} styles={{ body: { padding: 0 } }}>
      <Table
        size="small"
        rowKey="id"
        dataSource={pending.data?.items ?? []}
        columns={columns}
        loading={pending.isPending}
        pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
        locale={{ emptyText: t('twoCards.party.empty') }}
        onRow={rowProps}
        data-testid="two-cards-pending"
      />
      <Modal
        open={refusing !== null}
        title={t('twoCards.refuse.title')}
        okText={t('operator.refuse.submit')}
        okButtonProps={{ loading: answer.isPending, 'data-testid': 'two-card-refuse-submit' }}
        onOk={() => refusing && send(refusing, 'refused', reason)}
        onCancel={() => setRefusing(null)}
      >
        <Select<Refusal>
          style={{ width: '100%' }}
          value={reason}
          onChange={setReason}
          options={twoCardRefusalReasons.map((value) => ({
            value,
            label: t(`twoCards.refusal.${value}`),
          }))}
          data-testid="two-card-refuse-reason"
        />
      </Modal>
    </Card>
  );
}

import { findBankByCode } from '@fanzha/domain';
import { Alert, App, Badge, Card, Flex, Table, type TableProps } from 'antd';
import { CountermeasuresCard } from '../party-countermeasures/countermeasures.card';
import { TwoCardsCard } from '../party-countermeasures/two-cards.card';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useT } from '../../i18n';
import { LiveBadge } from '../../live';
import { useMe } from '../../session';
import { PageHeading, TEXT_COLOURS, useNow } from '../../ui';
import { AnswerDrawer } from './answer-drawer';
import { bankColumns } from './bank-columns';
import { RECENT_MS, factsOf, idOf, splitQueue, type BankItem } from './bank-queue';
import { ConfirmDrawer } from './confirm-drawer';
import { useAcknowledge, useBankQueue, useBankStream } from './use-bank';

const rowProps = (item: BankItem) =>
  ({
    'data-testid': `bank-row-${idOf(item)}`,
    'data-kind': item.kind,
    'data-account': factsOf(item).account.number,
    'data-status': item.status,
  }) as HTMLAttributes<HTMLElement>;

/** Long queues are paged: a page is what a liaison reads at once, and the page stays light to render. */
const paging = (pageSize: number): TableProps<BankItem>['pagination'] => ({
  pageSize,
  size: 'small',
  hideOnSinglePage: true,
  showSizeChanger: false,
});

/**
 * 银行协查: every instruction to this bank, of every kind, live — open work first (emergency stops, then
 * the measures by their legal deadline), then the answers of the last day. Acknowledge; answer a stop with
 * what was stopped and where money went on; confirm a freeze, renewal, release, return or lapse notice
 * with what the bank actually did.
 */
export default function BankPage() {
  const t = useT();
  const { message } = App.useApp();
  const me = useMe();
  const ownBank = me.bankCode;
  const bankName = ownBank ? (findBankByCode(ownBank)?.nameZh ?? ownBank) : '—';
  const now = useNow();
  const queue = useBankQueue(ownBank);
  useBankStream(ownBank);
  const ack = useAcknowledge(ownBank);
  const [answering, setAnswering] = useState<BankItem | null>(null);
  const { open, answered } = useMemo(() => splitQueue(queue.data ?? []), [queue.data]);
  const actions = {
    now,
    ackPending: ack.isPending ? (ack.variables ?? null) : null,
    onAck: (item: BankItem) =>
      ack.mutate(idOf(item), { onError: (error) => void message.error(error.message) }),
    onAnswer: setAnswering,
  };

  return (
    <>
      <PageHeading
        title={`${t('console.bank.title')} · ${bankName}`}
        description={t('bank.description')}
        extra={<LiveBadge />}
      />
      {queue.isError && (
        <Alert
          type="error"
          showIcon
          title={t('desk.loadError')}
          description={queue.error.message}
          style={{ marginBottom: 12 }}
        />
      )}
      <Flex vertical gap={12}>
        <Card
          size="small"
          title={
            <Flex gap={8} align="center">
              <Badge
                count={open.length}
                showZero
                overflowCount={9999}
                color={open.length ? TEXT_COLOURS.danger : TEXT_COLOURS.muted}
                data-testid="bank-open-count"
              />
              {t('bank.open')}
            </Flex>
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table
            size="small"
            rowKey={idOf}
            dataSource={open}
            columns={bankColumns(t, true, actions)}
            loading={queue.isPending}
            pagination={paging(50)}
            locale={{ emptyText: t('bank.empty') }}
            onRow={rowProps}
            data-testid="bank-open"
          />
        </Card>
        <Card
          size="small"
          title={t('bank.answered.recent', { hours: RECENT_MS / 3_600_000 })}
          styles={{ body: { padding: 0 } }}
          data-testid="bank-answered-card"
        >
          <Table
            size="small"
            rowKey={idOf}
            dataSource={answered}
            columns={bankColumns(t, false, actions)}
            pagination={paging(20)}
            locale={{ emptyText: t('desk.answered.empty') }}
            onRow={rowProps}
            data-testid="bank-answered"
          />
        </Card>
        <CountermeasuresCard party="bank" />
        <TwoCardsCard />
      </Flex>
      {answering &&
        (answering.kind === 'emergency_stop_payment' ? (
          <AnswerDrawer
            item={answering}
            ownBank={ownBank}
            onClose={(done) => {
              if (done) void message.success(t('bank.answered.ok'));
              setAnswering(null);
            }}
          />
        ) : (
          <ConfirmDrawer
            item={answering}
            ownBank={ownBank}
            onClose={(done) => {
              if (done) void message.success(t('bank.confirmed.ok'));
              setAnswering(null);
            }}
          />
        ))}
    </>
  );
}

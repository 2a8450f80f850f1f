import { CheckOutlined, FormOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { findBankByCode, stopFailureReasonNamesZh } from '@fanzha/domain';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Flex,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { useLocale, useT } from '../../i18n';
import { LiveBadge } from '../../live';
import { useMe } from '../../session';
import {
  LayerTag,
  MONO_STYLE,
  PageHeading,
  StopPaymentStatusTag,
  formatCentreTime,
  formatStopwatch,
  formatYuan,
  groupDigits,
  secondsBetween,
  useNow,
} from '../../ui';
import { AnswerDrawer } from './answer-drawer';
import type { BankRow } from './bank-rows';
import { ReturnsCard } from './returns-card';
import { useAcknowledge, useBankQueue, useBankStream } from './use-bank';

function SignatureTag({ keyId }: { keyId: string | null }) {
  const t = useT();
  return (
    <Tooltip title={t('bank.signature.hint')}>
      <Tag
        icon={<SafetyCertificateOutlined />}
        color={keyId ? 'blue' : 'default'}
        style={{ marginInlineEnd: 0 }}
      >
        Ed25519 · {keyId ? keyId.slice(0, 8) : t('bank.signature.loading')}
      </Tag>
    </Tooltip>
  );
}

/** 银行协查: this bank's instructions only, live; acknowledge, then answer with the stop and where money went on. */
export default function BankPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const ownBank = me.bankCode;
  const bankName = ownBank ? (findBankByCode(ownBank)?.nameZh ?? ownBank) : '—';
  const now = useNow();
  const queue = useBankQueue();
  useBankStream(ownBank);
  const ack = useAcknowledge(ownBank);
  const [answering, setAnswering] = useState<BankRow | null>(null);
  const rows = useMemo(() => queue.data ?? [], [queue.data]);
  const open = rows.filter((r) => r.status === 'sent' || r.status === 'acknowledged');
  const answered = rows.filter((r) => r.status === 'stopped' || r.status === 'failed');

  const base: TableColumnsType<BankRow> = [
    {
      title: t('bank.col.report'),
      key: 'report',
      width: 190,
      render: (_, r) => (
        <Flex vertical>
          <span style={MONO_STYLE}>{r.reportNumber}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.legalDocNumber ?? '—'}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('desk.col.layer'), key: 'layer', width: 80, render: (_, r) => <LayerTag layer={r.layer} /> },
    {
      title: t('desk.col.account'),
      key: 'account',
      render: (_, r) => (
        <Flex vertical>
          <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{groupDigits(r.account.number)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.account.name ?? '—'}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('desk.col.amount'),
      key: 'amount',
      align: 'right',
      width: 130,
      render: (_, r) => <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{formatYuan(r.amountFen)}</span>,
    },
    {
      title: t('desk.col.transferredAt'),
      key: 'transferredAt',
      width: 140,
      render: (_, r) => <span style={MONO_STYLE}>{formatCentreTime(r.transferredAt)}</span>,
    },
    {
      title: t('bank.col.signature'),
      key: 'sig',
      width: 150,
      render: (_, r) => <SignatureTag keyId={r.keyId} />,
    },
  ];

  const openColumns: TableColumnsType<BankRow> = [
    ...base,
    {
      title: t('desk.col.status'),
      key: 'status',
      width: 80,
      render: (_, r) => <StopPaymentStatusTag status={r.status} />,
    },
    {
      title: t('bank.col.waiting'),
      key: 'age',
      width: 80,
      render: (_, r) => {
        if (!r.issuedAt) return '—';
        const s = secondsBetween(r.issuedAt, now);
        return (
          <span
            style={{
              ...MONO_STYLE,
              fontWeight: 600,
              color: s > 120 ? '#cf1322' : s > 60 ? '#d46b08' : undefined,
            }}
          >
            {formatStopwatch(s)}
          </span>
        );
      },
    },
    {
      title: '',
      key: 'actions',
      width: 170,
      render: (_, r) => (
        <Flex gap={6}>
          {r.status === 'sent' && (
            <Button
              size="small"
              icon={<CheckOutlined />}
              loading={ack.isPending && ack.variables === r.id}
              onClick={() => ack.mutate(r.id)}
              data-testid={`bank-ack-${r.account.number}`}
            >
              {t('bank.ack')}
            </Button>
          )}
          <Button
            type="primary"
            size="small"
            icon={<FormOutlined />}
            onClick={() => setAnswering(r)}
            data-testid={`bank-answer-${r.account.number}`}
          >
            {t('bank.answer')}
          </Button>
        </Flex>
      ),
    },
  ];

  const answeredColumns: TableColumnsType<BankRow> = [
    ...base.filter((c) => c.key !== 'sig'),
    {
      title: t('desk.col.status'),
      key: 'status',
      width: 80,
      render: (_, r) => <StopPaymentStatusTag status={r.status} />,
    },
    {
      title: t('desk.col.result'),
      key: 'result',
      render: (_, r) =>
        !r.result ? (
          '—'
        ) : r.result.outcome === 'stopped' ? (
          <Typography.Text type="success" style={MONO_STYLE}>
            {t('desk.stopped', { amount: formatYuan(r.result.stoppedFen) })}
            {r.result.onwardTransfers.length > 0 &&
              ` · ${t('desk.onward', { n: r.result.onwardTransfers.length })}`}
          </Typography.Text>
        ) : (
          <Typography.Text type="danger">
            {r.result.failureReason &&
              (locale === 'zh-CN'
                ? stopFailureReasonNamesZh[r.result.failureReason]
                : r.result.failureReason)}
          </Typography.Text>
        ),
    },
  ];

  const rowProps = (r: BankRow) =>
    ({
      'data-testid': `bank-row-${r.account.number}`,
      'data-status': r.status,
    }) as HTMLAttributes<HTMLElement>;

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
              <Badge count={open.length} showZero color={open.length ? '#cf1322' : '#bfbfbf'} />
              {t('bank.open')}
            </Flex>
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table
            size="small"
            rowKey="id"
            dataSource={open}
            columns={openColumns}
            loading={queue.isPending}
            pagination={false}
            locale={{ emptyText: t('bank.empty') }}
            onRow={rowProps}
            data-testid="bank-open"
          />
        </Card>
        <ReturnsCard />
        <Card size="small" title={t('bank.answered')} styles={{ body: { padding: 0 } }}>
          <Table
            size="small"
            rowKey="id"
            dataSource={answered}
            columns={answeredColumns}
            pagination={false}
            locale={{ emptyText: t('desk.answered.empty') }}
            onRow={rowProps}
            data-testid="bank-answered"
          />
        </Card>
      </Flex>
      {answering && (
        <AnswerDrawer
          row={answering}
          ownBank={ownBank}
          onClose={(done) => {
            if (done) void message.success(t('bank.answered.ok'));
            setAnswering(null);
          }}
        />
      )}
    </>
  );
}

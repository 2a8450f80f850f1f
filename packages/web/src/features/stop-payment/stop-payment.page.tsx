import { SendOutlined } from '@ant-design/icons';
import type { StopPaymentView } from '@fanzha/contracts';
import { stopFailureReasonNamesZh } from '@fanzha/domain';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Flex,
  Input,
  Select,
  Table,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { LiveBadge, useStopPaymentStream } from '../../live';
import {
  MONO_STYLE,
  PageHeading,
  StopPaymentStatusTag,
  formatCentreTime,
  formatYuan,
  groupDigits,
  useNow,
  TEXT_COLOURS,
} from '../../ui';
import {
  DESK_PAGE_SIZE,
  banksIn,
  groupDeskQueue,
  keepSelection,
  matchesSearch,
  moveSelection,
  pageOfSelection,
} from './desk-queue';
import { Countdown, LiveLegalStateTag } from '../../case';
import { Age, commonColumns } from './desk-columns';
import { LapseCard } from './lapse-card';
import { SendDialog } from './send-dialog';
import { useDeskQueue } from './use-desk';

// Long tables are paged: every row redraws each second (the waiting times), and a shift can hold hundreds.
const paged = {
  pageSize: DESK_PAGE_SIZE,
  size: 'small',
  showSizeChanger: false,
  hideOnSinglePage: true,
} as const;

const rowProps = (r: StopPaymentView) =>
  ({ 'data-testid': `desk-row-${r.account.number}`, 'data-status': r.status }) as HTMLAttributes<HTMLElement>;

/** 止付岗: the queue of accounts to stop, live; one key sends, answers come back by themselves. */
export default function StopPaymentPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const now = useNow();
  const { open, answered, stopped } = useDeskQueue();
  useStopPaymentStream();
  const [bank, setBank] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [sending, setSending] = useState<StopPaymentView | null>(null);
  const selectedIndex = useRef(0);

  const all = useMemo(
    () => [...(open.data?.requests ?? []), ...(answered.data?.requests ?? [])],
    [open.data, answered.data],
  );
  const queue = useMemo(
    () =>
      groupDeskQueue(
        all.filter((r) => matchesSearch(r, search)),
        bank,
      ),
    [all, bank, search],
  );
  const pendingIds = queue.pending.map((r) => r.id);
  // Only the request chosen by id is "current": what is highlighted is what Enter sends.
  const current = queue.pending.find((r) => r.id === selected) ?? null;
  const index = current ? queue.pending.indexOf(current) : -1;
  if (index >= 0) selectedIndex.current = index;
  const kept = keepSelection(pendingIds, selected, selectedIndex.current);
  useEffect(() => {
    if (kept !== selected) setSelected(kept);
  }, [kept, selected]);

  // ↑/↓ choose, Enter opens the send dialog: the desk works without the mouse.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (sending) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, .ant-select, .ant-modal')) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setSelected(moveSelection(pendingIds, current?.id ?? null, event.key === 'ArrowDown' ? 1 : -1));
      } else if (event.key === 'Enter' && current) {
        event.preventDefault();
        setSending(current);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sending, pendingIds, current]);

  const pendingColumns: TableColumnsType<StopPaymentView> = [
    ...commonColumns(t, now),
    {
      title: t('desk.col.waiting'),
      key: 'age',
      width: 90,
      render: (_, r) => <Age since={r.createdAt} now={now} warnAfterS={60} />,
    },
    {
      title: '',
      key: 'action',
      width: 110,
      render: (_, r) => (
        <Button
          type="primary"
          danger
          size="small"
          icon={<SendOutlined />}
          onClick={() => {
            setSelected(r.id);
            setSending(r);
          }}
          data-testid={`desk-send-${r.account.number}`}
        >
          {t('desk.send')}
        </Button>
      ),
    },
  ];
  const inFlightColumns: TableColumnsType<StopPaymentView> = [
    ...commonColumns(t, now),
    { title: t('desk.col.legalDoc'), key: 'doc', width: 180, render: (_, r) => r.legalDocNumber ?? '—' },
    {
      title: t('desk.col.status'),
      key: 'status',
      width: 90,
      render: (_, r) => <StopPaymentStatusTag status={r.status} />,
    },
    {
      title: t('desk.col.sinceSent'),
      key: 'age',
      width: 90,
      render: (_, r) => <Age since={r.sentAt} now={now} warnAfterS={120} />,
    },
  ];
  const answeredColumns: TableColumnsType<StopPaymentView> = [
    ...commonColumns(t, now).filter((c) => c.key !== 'transferredAt'),
    {
      title: t('desk.col.status'),
      key: 'status',
      width: 90,
      render: (_, r) => <StopPaymentStatusTag status={r.status} />,
    },
    {
      title: t('desk.col.result'),
      key: 'result',
      render: (_, r) =>
        r.result?.outcome === 'stopped' ? (
          <Flex vertical>
            <Typography.Text type="success" strong style={MONO_STYLE}>
              {t('desk.stopped', { amount: formatYuan(r.result.stoppedFen) })}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('desk.balance', { amount: formatYuan(r.result.balanceFen) })}
              {r.result.onwardTransfers.length > 0 &&
                ` · ${t('desk.onward', { n: r.result.onwardTransfers.length })}`}
            </Typography.Text>
          </Flex>
        ) : r.result?.failureReason ? (
          <Typography.Text type="danger">
            {locale === 'zh-CN' ? stopFailureReasonNamesZh[r.result.failureReason] : r.result.failureReason}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: t('desk.col.lapse'),
      key: 'legal',
      width: 190,
      render: (_, r) =>
        r.legalState === 'none' ? (
          '—'
        ) : (
          <Flex gap={6} align="center" wrap>
            <LiveLegalStateTag r={r} />
            {r.legalState === 'stopped' && r.expiresAt && <Countdown deadline={r.expiresAt} />}
          </Flex>
        ),
    },
    {
      title: t('desk.col.answeredAt'),
      key: 'answeredAt',
      width: 160,
      render: (_, r) => <span style={MONO_STYLE}>{formatCentreTime(r.result?.answeredAt, true)}</span>,
    },
  ];

  const error = open.error ?? answered.error ?? stopped.error;
  return (
    <>
      <style>{`
        .desk-selected > td { background: #e6f0ff !important; box-shadow: inset 0 0 0 0 #1f5fbf; }
        .desk-selected > td:first-child { box-shadow: inset 3px 0 0 #1f5fbf; }
      `}</style>
      <PageHeading
        title={t('console.stop-payment.title')}
        description={t('desk.description')}
        extra={
          <Flex gap={16} align="center">
            <LiveBadge />
            <Input.Search
              allowClear
              placeholder={t('desk.search')}
              aria-label={t('desk.search')}
              style={{ width: 260 }}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              data-testid="desk-search"
            />
            <Select
              allowClear
              placeholder={t('desk.filter.bank')}
              aria-label={t('desk.filter.bank')}
              style={{ width: 180 }}
              value={bank}
              onChange={(value: string | undefined) => setBank(value ?? null)}
              options={banksIn(all).map((b) => ({ value: b.code, label: b.name }))}
              data-testid="desk-bank-filter"
            />
          </Flex>
        }
      />
      {error && (
        <Alert
          type="error"
          showIcon
          title={t('desk.loadError')}
          description={errorText(locale, error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Flex vertical gap={12}>
        <Card
          size="small"
          title={
            <Flex gap={8} align="center">
              <Badge
                count={queue.pending.length}
                showZero
                color={queue.pending.length ? TEXT_COLOURS.danger : TEXT_COLOURS.muted}
              />
              {t('desk.pending')}
            </Flex>
          }
          extra={
            <Tooltip title={t('desk.keys.hint')}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <Typography.Text keyboard>↑</Typography.Text>
                <Typography.Text keyboard>↓</Typography.Text> {t('desk.keys.select')} ·{' '}
                <Typography.Text keyboard>Enter</Typography.Text> {t('desk.keys.send')}
              </Typography.Text>
            </Tooltip>
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table
            size="small"
            rowKey="id"
            dataSource={queue.pending}
            columns={pendingColumns}
            loading={open.isPending}
            // The page follows the selection (↑/↓ past the last row turns it); turning it selects its top row.
            pagination={{
              ...paged,
              current: pageOfSelection(pendingIds, current?.id ?? null, DESK_PAGE_SIZE),
              onChange: (page) => setSelected(pendingIds[(page - 1) * DESK_PAGE_SIZE] ?? null),
            }}
            locale={{ emptyText: search.trim() ? t('desk.search.none') : t('desk.empty') }}
            rowClassName={(r) => (r.id === current?.id ? 'desk-selected' : '')}
            onRow={(r) => ({
              ...rowProps(r),
              'aria-selected': r.id === current?.id,
              onClick: () => setSelected(r.id),
            })}
            data-testid="desk-pending"
          />
        </Card>
        <Card
          size="small"
          title={
            <Flex gap={8} align="center">
              <Badge count={queue.inFlight.length} showZero color="#1f5fbf" />
              {t('desk.inFlight')}
            </Flex>
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table
            size="small"
            rowKey="id"
            dataSource={queue.inFlight}
            columns={inFlightColumns}
            pagination={paged}
            locale={{ emptyText: t('desk.inFlight.empty') }}
            onRow={rowProps}
            data-testid="desk-in-flight"
          />
        </Card>
        <LapseCard requests={stopped.data?.requests ?? []} />
        <Card size="small" title={t('desk.answered')} styles={{ body: { padding: 0 } }}>
          <Table
            size="small"
            rowKey="id"
            dataSource={queue.answered}
            columns={answeredColumns}
            pagination={paged}
            locale={{ emptyText: t('desk.answered.empty') }}
            onRow={rowProps}
            data-testid="desk-answered"
          />
        </Card>
      </Flex>
      {sending && (
        <SendDialog
          request={sending}
          onClose={(sent) => {
            if (sent) void message.success(t('desk.sent', { account: groupDigits(sending.account.number) }));
            setSending(null);
          }}
        />
      )}
    </>
  );
}

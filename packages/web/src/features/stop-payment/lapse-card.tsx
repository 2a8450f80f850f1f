import type { StopPaymentView } from '@fanzha/contracts';
import { Badge, Card, Flex, Table, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { useT } from '../../i18n';
import {
  LayerTag,
  MONO_STYLE,
  TEXT_COLOURS,
  formatCentreTime,
  formatYuan,
  groupDigits,
  useNow,
} from '../../ui';
import {
  LAPSE_THRESHOLDS,
  lapsingFirst,
  legalStateAt,
  recentlyLapsed,
  Countdown,
  LegalStateTag,
} from '../../case';

/**
 * Emergency stops still in force, the nearest lapse first: each must become a freeze (or a second stop)
 * before its 48 hours end, so those under 6 hours are counted and those under 1 hour turn red.
 */
export function LapseCard({ requests }: { requests: readonly StopPaymentView[] }) {
  const t = useT();
  const now = useNow(5000);
  const running = lapsingFirst(requests, now);
  // A lapse stays in view for a day: the desk must see what was lost, not only what is left.
  const rows = [...running, ...recentlyLapsed(requests, now)];
  const soon = running.filter(
    (r) => r.expiresAt && new Date(r.expiresAt).getTime() - now.getTime() < LAPSE_THRESHOLDS.soonMs,
  ).length;
  const columns: TableColumnsType<StopPaymentView> = [
    {
      title: t('desk.col.report'),
      key: 'report',
      width: 170,
      render: (_, r) => (
        <Link to={`/reports/${r.reportId}`} style={MONO_STYLE}>
          {r.reportNumber}
        </Link>
      ),
    },
    { title: t('desk.col.layer'), key: 'layer', width: 80, render: (_, r) => <LayerTag layer={r.layer} /> },
    {
      title: t('desk.col.account'),
      key: 'account',
      render: (_, r) => (
        <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{groupDigits(r.account.number)}</span>
      ),
    },
    {
      title: t('desk.col.bank'),
      key: 'bank',
      width: 130,
      render: (_, r) => r.account.bankName ?? r.account.bankCode,
    },
    {
      title: t('trail.stopped'),
      key: 'stopped',
      align: 'right',
      width: 140,
      render: (_, r) => (
        <span style={{ ...MONO_STYLE, color: TEXT_COLOURS.ok }}>
          {formatYuan(r.result?.outcome === 'stopped' ? r.result.stoppedFen : 0)}
        </span>
      ),
    },
    {
      title: t('trail.lapsesAt'),
      key: 'expiresAt',
      width: 160,
      render: (_, r) => <span style={MONO_STYLE}>{formatCentreTime(r.expiresAt)}</span>,
    },
    {
      title: t('desk.col.legalState'),
      key: 'state',
      width: 110,
      render: (_, r) => <LegalStateTag state={legalStateAt(r, now)} />,
    },
    {
      title: t('desk.col.lapse'),
      key: 'countdown',
      width: 150,
      render: (_, r) =>
        r.expiresAt ? <Countdown deadline={r.expiresAt} testId={`desk-lapse-${r.account.number}`} /> : '—',
    },
  ];
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <Badge count={soon} showZero color={soon ? TEXT_COLOURS.danger : TEXT_COLOURS.muted} />
          {t('desk.lapsing')}
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {t('desk.lapsing.hint', { n: running.length })}
          </Typography.Text>
        </Flex>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        columns={columns}
        pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
        locale={{ emptyText: t('desk.lapsing.empty') }}
        onRow={(r) =>
          ({
            'data-testid': `desk-lapsing-${r.account.number}`,
            'data-legal-state': legalStateAt(r, now),
          }) as HTMLAttributes<HTMLElement>
        }
        data-testid="desk-lapsing"
      />
    </Card>
  );
}

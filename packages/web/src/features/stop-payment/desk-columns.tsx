import type { StopPaymentView } from '@fanzha/contracts';
import { Flex, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import type { Translate } from '../../i18n';
import {
  LayerTag,
  MONO_STYLE,
  formatCentreTime,
  formatStopwatch,
  formatYuan,
  groupDigits,
  secondsBetween,
  TEXT_COLOURS,
} from '../../ui';

function AccountCell({ r }: { r: StopPaymentView }) {
  return (
    <Flex vertical>
      <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{groupDigits(r.account.number)}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {r.account.name ?? '—'}
      </Typography.Text>
    </Flex>
  );
}

function TransferredCell({ r, now, t }: { r: StopPaymentView; now: Date; t: Translate }) {
  if (!r.transferredAt) return <>—</>;
  const minutes = Math.floor(secondsBetween(r.transferredAt, now) / 60);
  return (
    <Flex vertical>
      <span style={MONO_STYLE}>{formatCentreTime(r.transferredAt)}</span>
      <Typography.Text type={minutes > 60 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
        {t('desk.minutesAgo', { n: minutes })}
      </Typography.Text>
    </Flex>
  );
}

/** How long a row has waited: amber past `warnAfterS`, red past twice that. */
export function Age({ since, now, warnAfterS }: { since: string | null; now: Date; warnAfterS: number }) {
  if (!since) return <>—</>;
  const seconds = secondsBetween(since, now);
  const color =
    seconds >= warnAfterS * 2
      ? TEXT_COLOURS.danger
      : seconds >= warnAfterS
        ? TEXT_COLOURS.warning
        : undefined;
  return <span style={{ ...MONO_STYLE, color, fontWeight: 600 }}>{formatStopwatch(seconds)}</span>;
}

/** The columns every desk table shares: report, layer, account, bank, amount, when transferred. */
export function commonColumns(t: Translate, now: Date): TableColumnsType<StopPaymentView> {
  return [
    {
      title: t('desk.col.report'),
      key: 'report',
      width: 170,
      render: (_, r) => (
        <Link
          to={`/reports/${r.reportId}`}
          style={MONO_STYLE}
          data-testid={`desk-report-${r.account.number}`}
        >
          {r.reportNumber}
        </Link>
      ),
    },
    { title: t('desk.col.layer'), key: 'layer', width: 80, render: (_, r) => <LayerTag layer={r.layer} /> },
    { title: t('desk.col.account'), key: 'account', render: (_, r) => <AccountCell r={r} /> },
    {
      title: t('desk.col.bank'),
      key: 'bank',
      width: 130,
      render: (_, r) => r.account.bankName ?? r.account.bankCode,
    },
    {
      title: t('desk.col.amount'),
      key: 'amount',
      align: 'right',
      width: 140,
      render: (_, r) => <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{formatYuan(r.amountFen)}</span>,
    },
    {
      title: t('desk.col.transferredAt'),
      key: 'transferredAt',
      width: 160,
      render: (_, r) => <TransferredCell r={r} now={now} t={t} />,
    },
  ];
}

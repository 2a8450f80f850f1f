import { CheckOutlined, FormOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { stopFailureReasonNamesZh, type StopFailureReason } from '@fanzha/domain';
import { Button, Flex, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { hasMessage, useLocale, useT, type Translate } from '../../i18n';
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
import { LAPSE_THRESHOLDS, Countdown } from '../../case';
import { factsOf, idOf, issuedAtOf, type BankItem, type BankItemStatus } from './bank-queue';

/** A return is due within three working days: warn a day before, red in the last four hours. */
const RETURN_THRESHOLDS = { soonMs: 24 * 3_600_000, urgentMs: 4 * 3_600_000 };
/** A freeze runs for months: warn a week before it ends, red on the last day (as the centre's reminders). */
const FREEZE_THRESHOLDS = { soonMs: 7 * 86_400_000, urgentMs: 86_400_000 };

const STATUS_COLORS: Record<BankItemStatus, string> = {
  sent: 'blue',
  acknowledged: 'geekblue',
  stopped: 'green',
  frozen: 'green',
  renewed: 'green',
  released: 'cyan',
  returned: 'purple',
  lifted: 'default',
  held: 'gold',
  failed: 'red',
};
const KIND_COLORS: Record<BankItem['kind'], string> = {
  emergency_stop_payment: 'volcano',
  freeze: 'blue',
  freeze_renewal: 'geekblue',
  release: 'cyan',
  return: 'purple',
  stop_lapsed: 'default',
  protective_hold: 'gold',
  protective_hold_release: 'default',
};

export function BankStatusTag({ status }: { status: BankItemStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`bank.status.${status}`)}
    </Tag>
  );
}

function SignatureTag({ keyId, algorithm }: { keyId: string; algorithm: string }) {
  const t = useT();
  return (
    <Tooltip title={t('bank.signature.hint')}>
      <Tag icon={<SafetyCertificateOutlined />} color="blue" style={{ marginInlineEnd: 0 }}>
        {algorithm} · {keyId.slice(0, 8)}
      </Tag>
    </Tooltip>
  );
}

/** Why the bank could not: an emergency stop's reasons or a measure's, in the reader's language. */
export function failureText(item: BankItem, t: Translate, locale: string): string {
  const reason = item.answer?.failureReason;
  if (!reason) return '';
  if (item.kind === 'emergency_stop_payment')
    return locale === 'zh-CN' ? (stopFailureReasonNamesZh[reason as StopFailureReason] ?? reason) : reason;
  const key = `bank.measureFailure.${reason}`;
  return hasMessage(key) ? t(key) : reason;
}

/** The legal deadline now running for this instruction, or — for a stop not answered yet — how long it waits. */
function Deadline({ item, now }: { item: BankItem; now: Date }) {
  const t = useT();
  if (item.kind === 'emergency_stop_payment' && !item.answer) {
    const s = secondsBetween(issuedAtOf(item), now);
    return (
      <Tooltip title={t('bank.waiting.hint')}>
        <span
          style={{
            ...MONO_STYLE,
            fontWeight: 600,
            color: s > 120 ? TEXT_COLOURS.danger : s > 60 ? TEXT_COLOURS.warning : undefined,
          }}
          data-testid="bank-waiting"
        >
          {formatStopwatch(s)}
        </span>
      </Tooltip>
    );
  }
  if (!item.deadlineAt) return <>—</>;
  const thresholds =
    item.kind === 'return'
      ? RETURN_THRESHOLDS
      : item.kind === 'freeze' || item.kind === 'freeze_renewal'
        ? FREEZE_THRESHOLDS
        : LAPSE_THRESHOLDS;
  return (
    <Flex vertical>
      <Countdown deadline={item.deadlineAt} thresholds={thresholds} testId="bank-deadline" />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`bank.deadline.${item.kind}`)}
      </Typography.Text>
    </Flex>
  );
}

/** Each kind's key facts: the amount and what it is, the decision, the payee, the new end. */
function What({ item }: { item: BankItem }) {
  const t = useT();
  const f = factsOf(item);
  return (
    <Flex vertical>
      {f.amountFen !== null && (
        <span style={{ ...MONO_STYLE, fontWeight: 600 }} data-testid="bank-amount">
          {formatYuan(f.amountFen)}
        </span>
      )}
      {f.payee && (
        <Typography.Text style={{ fontSize: 12 }} data-testid="bank-payee">
          {t('bank.payee.to', {
            name: f.payee.name,
            account: groupDigits(f.payee.account),
            bank: f.payee.bankName ?? f.payee.bankCode,
          })}
        </Typography.Text>
      )}
      {f.hold && (
        <Typography.Text style={{ fontSize: 12 }} data-testid="bank-hold-reason">
          {f.hold.reason}
        </Typography.Text>
      )}
      {f.endsAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="bank-ends-at">
          {t(f.hold ? 'bank.hold.until' : 'bank.until', { at: formatCentreTime(f.endsAt) })}
        </Typography.Text>
      )}
      {f.dueAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('bank.dueBy', { at: formatCentreTime(f.dueAt) })}
        </Typography.Text>
      )}
      {f.lapsedAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('bank.lapsedOn', { at: formatCentreTime(f.lapsedAt) })}
        </Typography.Text>
      )}
      {f.transferredAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('bank.transferredAt', { at: formatCentreTime(f.transferredAt) })}
        </Typography.Text>
      )}
    </Flex>
  );
}

function Result({ item }: { item: BankItem }) {
  const t = useT();
  const { locale } = useLocale();
  const a = item.answer;
  if (!a) return <>—</>;
  if (a.outcome === 'failed')
    return (
      <Typography.Text type="danger" data-testid="bank-result">
        {failureText(item, t, locale)}
        {a.note ? ` · ${a.note}` : ''}
      </Typography.Text>
    );
  return (
    <Flex vertical data-testid="bank-result">
      <Typography.Text type="success" style={MONO_STYLE}>
        {t(`bank.status.${a.outcome}`)}
        {a.amountFen !== null && ` ${formatYuan(a.amountFen)}`}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatCentreTime(a.executedAt ?? a.answeredAt)}
        {a.bankReference && ` · ${a.bankReference}`}
      </Typography.Text>
    </Flex>
  );
}

export interface ColumnActions {
  now: Date;
  ackPending: string | null;
  onAck: (item: BankItem) => void;
  onAnswer: (item: BankItem) => void;
}

/** The queue's columns: the same facts for open work and answers, then the actions or the result. */
export function bankColumns(t: Translate, isOpen: boolean, a: ColumnActions): TableColumnsType<BankItem> {
  const columns: TableColumnsType<BankItem> = [
    {
      title: t('bank.col.kind'),
      key: 'kind',
      width: 190,
      render: (_, item) => {
        const f = factsOf(item);
        return (
          <Flex vertical gap={2}>
            <Flex gap={4} wrap>
              <Tag color={KIND_COLORS[item.kind]} style={{ marginInlineEnd: 0 }}>
                {t(`bank.kind.${item.kind}`)}
              </Tag>
              {f.stopSeq === 2 && <Tag color="orange">{t('trail.secondStop')}</Tag>}
            </Flex>
            <span style={{ ...MONO_STYLE, fontSize: 12 }}>{f.reportNumber}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {f.decisionNumber ?? f.legalDocNumber ?? ''}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      title: t('desk.col.account'),
      key: 'account',
      render: (_, item) => {
        const f = factsOf(item);
        return (
          <Flex vertical>
            <Flex gap={6} align="center">
              <span style={{ ...MONO_STYLE, fontWeight: 600 }}>
                {f.account.number ? groupDigits(f.account.number) : f.hold ? t('bank.hold.allAccounts') : '—'}
              </span>
              {f.layer !== null && <LayerTag layer={f.layer} />}
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="bank-account-name">
              {f.hold
                ? [f.hold.person.name, f.hold.person.idNumber, f.hold.person.phone]
                    .filter(Boolean)
                    .join(' · ')
                : (f.account.name ?? '—')}
            </Typography.Text>
          </Flex>
        );
      },
    },
    { title: t('bank.col.what'), key: 'what', width: 240, render: (_, item) => <What item={item} /> },
    {
      title: t('bank.col.deadline'),
      key: 'deadline',
      width: 150,
      render: (_, item) => <Deadline item={item} now={a.now} />,
    },
    {
      title: t('desk.col.status'),
      key: 'status',
      width: 90,
      render: (_, item) => <BankStatusTag status={item.status} />,
    },
  ];
  if (!isOpen)
    return [
      ...columns,
      { title: t('desk.col.result'), key: 'result', render: (_, i) => <Result item={i} /> },
    ];
  return [
    ...columns,
    {
      title: t('bank.col.signature'),
      key: 'sig',
      width: 150,
      render: (_, item) => <SignatureTag keyId={item.keyId} algorithm={item.algorithm} />,
    },
    {
      title: '',
      key: 'actions',
      width: 180,
      render: (_, item) => (
        <Flex gap={6}>
          {item.status === 'sent' && (
            <Button
              size="small"
              icon={<CheckOutlined />}
              loading={a.ackPending === idOf(item)}
              onClick={() => a.onAck(item)}
              data-testid="bank-ack"
            >
              {t('bank.ack')}
            </Button>
          )}
          <Button
            type="primary"
            size="small"
            icon={<FormOutlined />}
            onClick={() => a.onAnswer(item)}
            data-testid={item.kind === 'emergency_stop_payment' ? 'bank-answer' : 'bank-confirm'}
          >
            {item.kind === 'emergency_stop_payment' ? t('bank.answer') : t('bank.confirm')}
          </Button>
        </Flex>
      ),
    },
  ];
}

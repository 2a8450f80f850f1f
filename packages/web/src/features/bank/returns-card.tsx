import { CheckCircleOutlined } from '@ant-design/icons';
import type { FundDecisionView } from '@fanzha/contracts';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Flex,
  Input,
  Modal,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useT } from '../../i18n';
import { MONO_STYLE, formatCentreTime, formatYuan, groupDigits } from '../../ui';
import { Countdown } from '../reports/legal-status';
import { useBankReturns, useConfirmReturn } from './use-returns';

const WORKING_DAYS_THRESHOLDS = { soonMs: 24 * 3_600_000, urgentMs: 4 * 3_600_000 };

function ConfirmDialog({
  decision,
  onClose,
}: {
  decision: FundDecisionView;
  onClose: (done: boolean) => void;
}) {
  const t = useT();
  const [reference, setReference] = useState('');
  const confirm = useConfirmReturn();
  const isValid = reference.trim().length >= 2;
  const submit = () => {
    if (isValid)
      confirm.mutate(
        { id: decision.id, body: { bankReference: reference.trim() } },
        { onSuccess: () => onClose(true) },
      );
  };
  return (
    <Modal
      open
      title={t('returns.confirm.title')}
      onCancel={() => onClose(false)}
      destroyOnHidden
      okText={t('returns.confirm.submit')}
      onOk={submit}
      okButtonProps={{
        disabled: !isValid,
        loading: confirm.isPending,
        'data-testid': 'returns-confirm-submit',
      }}
    >
      <Typography.Paragraph>
        {t('returns.confirm.what', {
          amount: formatYuan(decision.amountFen),
          account: decision.victimAccount ? groupDigits(decision.victimAccount) : '—',
          number: decision.decisionNumber,
        })}
      </Typography.Paragraph>
      <label>
        <Typography.Text strong>{t('returns.reference')}</Typography.Text>
        <Input
          autoFocus
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          onPressEnter={submit}
          style={{ marginTop: 4 }}
          data-testid="returns-reference"
        />
      </label>
      {confirm.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={t('returns.confirm.failed')}
          description={confirm.error.message}
        />
      )}
    </Modal>
  );
}

/** 资金返还: approved returns of this bank, due within 3 working days; the bank confirms each with its reference. */
export function ReturnsCard() {
  const t = useT();
  const { message } = App.useApp();
  const returns = useBankReturns();
  const [confirming, setConfirming] = useState<FundDecisionView | null>(null);
  const rows = (returns.data?.decisions ?? []).filter((d) => d.status === 'approved');
  const columns: TableColumnsType<FundDecisionView> = [
    {
      title: t('returns.col.decision'),
      key: 'decision',
      render: (_, d) => (
        <Flex vertical>
          <span>{d.decisionNumber}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.reportNumber} · {t('returns.approvedAt', { at: formatCentreTime(d.decidedAt) })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('returns.col.amount'),
      key: 'amount',
      align: 'right',
      width: 140,
      render: (_, d) => <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{formatYuan(d.amountFen)}</span>,
    },
    {
      title: t('returns.col.fromAccount'),
      key: 'from',
      width: 220,
      render: (_, d) => <span style={MONO_STYLE}>{groupDigits(d.account.number)}</span>,
    },
    {
      title: t('returns.col.victimAccount'),
      key: 'victim',
      width: 220,
      render: (_, d) => (
        <span style={MONO_STYLE}>{d.victimAccount ? groupDigits(d.victimAccount) : '—'}</span>
      ),
    },
    {
      title: t('returns.col.due'),
      key: 'due',
      width: 200,
      render: (_, d) =>
        d.dueAt ? (
          <Flex vertical>
            <span style={MONO_STYLE}>{formatCentreTime(d.dueAt)}</span>
            <Countdown deadline={d.dueAt} thresholds={WORKING_DAYS_THRESHOLDS} />
          </Flex>
        ) : (
          '—'
        ),
    },
    {
      title: '',
      key: 'action',
      width: 130,
      render: (_, d) => (
        <Button
          type="primary"
          size="small"
          icon={<CheckCircleOutlined />}
          onClick={() => setConfirming(d)}
          data-testid={`returns-confirm-${d.id}`}
        >
          {t('returns.confirm')}
        </Button>
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <Badge count={rows.length} showZero color={rows.length ? '#722ed1' : '#bfbfbf'} />
          {t('returns.title')}
        </Flex>
      }
      styles={{ body: { padding: 0 } }}
    >
      <style>{`.returns-overdue > td { background: #fff1f0 !important; }`}</style>
      {returns.isError && (
        <Alert type="error" showIcon title={t('returns.loadError')} description={returns.error.message} />
      )}
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        columns={columns}
        loading={returns.isPending}
        pagination={false}
        locale={{ emptyText: t('returns.empty') }}
        rowClassName={(d) => (d.isOverdue ? 'returns-overdue' : '')}
        onRow={(d) =>
          ({
            'data-testid': `returns-row-${d.id}`,
            'data-overdue': String(d.isOverdue),
          }) as HTMLAttributes<HTMLElement>
        }
        data-testid="bank-returns"
      />
      {confirming && (
        <ConfirmDialog
          decision={confirming}
          onClose={(done) => {
            if (done) void message.success(t('returns.confirmed'));
            setConfirming(null);
          }}
        />
      )}
    </Card>
  );
}

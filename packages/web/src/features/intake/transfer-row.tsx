import { CheckCircleFilled, DeleteOutlined } from '@ant-design/icons';
import type { FieldProblem, ReportView } from '@fanzha/contracts';
import { Button, Col, Input, Row } from 'antd';
import { memo } from 'react';
import { useLocale, useT } from '../../i18n';
import { formatYuan, parseYuanToFen, TEXT_COLOURS } from '../../ui';
import { checkAccount, checkAmount, checkTime } from './field-checks';
import type { TransferRow } from './intake-form';
import { Labelled, MONO, noteFor, statusOf } from './intake-fields';

// Memoised, as the other parts of the form below: a keystroke redraws the field typed in, not the form.
export const TransferRowFields = memo(function TransferRowFields({
  row,
  index,
  pushed,
  problems,
  canRemove,
  onChange,
  onRemove,
}: {
  row: TransferRow;
  index: number;
  pushed: ReportView['transfers'][number] | undefined;
  problems: Map<string, FieldProblem>;
  canRemove: boolean;
  onChange: (key: string, patch: Partial<TransferRow>) => void;
  onRemove: (key: string) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const now = new Date();
  const p = (field: string) => problems.get(`transfers.${row.key}.${field}`);
  const time = noteFor(
    checkTime(row.time, now) ? undefined : { kind: 'error', text: t('intake.check.time') },
    p('transferredAt'),
    locale,
  );
  const amountFen = parseYuanToFen(row.amount);
  const amount = noteFor(
    checkAmount(row.amount)
      ? amountFen
        ? { kind: 'hint', text: formatYuan(amountFen) }
        : undefined
      : { kind: 'error', text: t('intake.check.amount') },
    p('amountFen'),
    locale,
  );
  const account = noteFor(checkAccount(row.account, locale), p('toAccount.number'), locale);
  const id = `intake-transfer-${index}`;
  return (
    <Row gutter={8} align="top" wrap={false} data-testid={`${id}`} className="intake-transfer">
      <Col flex="none" style={{ width: 26, paddingTop: 24, color: TEXT_COLOURS.muted, ...MONO }}>
        {index + 1}
      </Col>
      <Col flex="0 1 110px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.time')} note={time}>
          <Input
            value={row.time}
            placeholder="14:32"
            onChange={(e) => onChange(row.key, { time: e.target.value })}
            status={statusOf(time)}
            data-testid={`${id}-time`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="0 1 130px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.amount')} note={amount}>
          <Input
            value={row.amount}
            prefix="¥"
            inputMode="decimal"
            onChange={(e) => onChange(row.key, { amount: e.target.value })}
            status={statusOf(amount)}
            data-testid={`${id}-amount`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="1 1 150px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.from')}>
          <Input
            value={row.victimAccount}
            inputMode="numeric"
            onChange={(e) => onChange(row.key, { victimAccount: e.target.value })}
            data-testid={`${id}-from`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="2 1 280px" style={{ minWidth: 0 }}>
        <Labelled
          label={t('intake.transfer.account')}
          note={account}
          extra={
            pushed?.stopPaymentId && (
              <span className="intake-pushed" data-testid={`intake-pushed-${index}`}>
                <CheckCircleFilled /> {t('intake.pushed')}
              </span>
            )
          }
        >
          <Input
            value={row.account}
            inputMode="numeric"
            onChange={(e) => onChange(row.key, { account: e.target.value })}
            status={statusOf(account)}
            data-testid={`${id}-account`}
            style={MONO}
          />
        </Labelled>
      </Col>
      <Col flex="1 1 110px" style={{ minWidth: 0 }}>
        <Labelled label={t('intake.transfer.name')}>
          <Input
            value={row.name}
            onChange={(e) => onChange(row.key, { name: e.target.value })}
            data-testid={`${id}-name`}
          />
        </Labelled>
      </Col>
      <Col flex="none" style={{ paddingTop: 22 }}>
        <Button
          type="text"
          tabIndex={-1}
          icon={<DeleteOutlined />}
          disabled={!canRemove}
          onClick={() => onRemove(row.key)}
          aria-label={t('intake.transfer.remove')}
        />
      </Col>
    </Row>
  );
});

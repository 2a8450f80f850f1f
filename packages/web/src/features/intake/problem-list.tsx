import type { FieldProblem } from '@fanzha/contracts';
import { Card, Typography } from 'antd';
import { memo } from 'react';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { reasonText } from './field-checks';

export const ProblemList = memo(function ProblemList({ problems }: { problems: FieldProblem[] }) {
  const t = useT();
  const { locale } = useLocale();
  if (problems.length === 0) return null;
  return (
    <Card size="small" title={t('intake.problems', { n: problems.length })} data-testid="intake-problems">
      <ul style={{ margin: 0, paddingInlineStart: 18, color: '#cf1322' }}>
        {problems.map((p) => (
          <li key={`${p.field}:${p.reason}`}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fieldLabel(p.field, t)}
            </Typography.Text>{' '}
            {reasonText(locale, p.reason, p.message)}
          </li>
        ))}
      </ul>
    </Card>
  );
});

const FIELD_LABELS: Record<string, MessageKey> = {
  transferredAt: 'intake.transfer.time',
  amountFen: 'intake.transfer.amount',
  'toAccount.number': 'intake.transfer.account',
  'toAccount.bankCode': 'intake.transfer.account',
  'victim.name': 'intake.victim.name',
  'victim.idNumber': 'intake.victim.idNumber',
  'victim.phone': 'intake.victim.phone',
  'victim.countyCode': 'intake.victim.county',
  fraudType: 'intake.fraudType',
  transfers: 'intake.transfers',
  value: 'intake.contacts',
};

function fieldLabel(field: string, t: ReturnType<typeof useT>): string {
  const path = field.replace(/^body\./, '');
  const row = /^(transfers|contacts)\.(\d+)\.(.+)$/.exec(path);
  if (row) {
    const key = FIELD_LABELS[row[3] ?? ''];
    const base =
      row[1] === 'transfers' ? t('intake.transferN', { n: Number(row[2]) + 1 }) : t('intake.contacts');
    return key ? `${base} · ${t(key)}` : base;
  }
  const key = FIELD_LABELS[path];
  return key ? t(key) : path;
}

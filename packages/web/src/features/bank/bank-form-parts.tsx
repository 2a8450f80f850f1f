import { reasonMessagesZh } from '@fanzha/domain';
import { Descriptions } from 'antd';
import type { ReactNode } from 'react';
import { useLocale, useT, type MessageKey } from '../../i18n';
import { LayerTag, MONO_STYLE, formatCentreTime, formatYuan, groupDigits } from '../../ui';
import type { BankFacts } from './bank-queue';

const ERROR_KEYS: Record<string, MessageKey> = {
  required: 'bank.error.required',
  amount: 'bank.error.amount',
  time: 'bank.error.time',
  aboveBalance: 'bank.error.aboveBalance',
  tooMuch: 'bank.error.tooMuch',
  short: 'form.error.short',
};

/** A problem code of the bank's forms in words (card problems in the domain's words). */
export function useErrorText(): (code: string | undefined) => string | undefined {
  const t = useT();
  const { locale } = useLocale();
  return (code) => {
    if (!code) return undefined;
    const key = ERROR_KEYS[code];
    if (key) return t(key);
    return locale === 'zh-CN' ? (reasonMessagesZh[code] ?? code) : code;
  };
}

export function Field({
  label,
  error,
  children,
}: {
  label: string;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <label style={{ display: 'block', marginBottom: 4 }}>
      <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.65)', marginBottom: 2 }}>{label}</div>
      {children}
      <div style={{ minHeight: 18, fontSize: 12, color: '#cf1322' }}>{error}</div>
    </label>
  );
}

/** The instruction the liaison is answering: the account, and each kind's key facts. */
export function InstructionSummary({ facts }: { facts: BankFacts }) {
  const t = useT();
  const f = facts;
  return (
    <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('bank.col.kind')} span={2}>
        {t(`bank.kind.${f.kind}`)} · <span style={MONO_STYLE}>{f.reportNumber}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('desk.col.account')} span={2}>
        <span style={{ ...MONO_STYLE, fontWeight: 600 }}>
          {f.account.number ? groupDigits(f.account.number) : f.hold ? t('bank.hold.allAccounts') : '—'}
        </span>{' '}
        {f.layer !== null && <LayerTag layer={f.layer} />} {f.account.name ?? ''}
      </Descriptions.Item>
      {f.hold && (
        <>
          <Descriptions.Item label={t('bank.hold.person')} span={2}>
            {[f.hold.person.name, f.hold.person.idNumber, f.hold.person.phone].filter(Boolean).join(' · ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('bank.hold.reason')} span={2}>
            {f.hold.reason}
          </Descriptions.Item>
          <Descriptions.Item label={t('bank.hold.appeal')} span={2}>
            {f.hold.appeal}
          </Descriptions.Item>
          <Descriptions.Item label={t('bank.hold.approvers')} span={2}>
            {f.hold.approvers}
          </Descriptions.Item>
        </>
      )}
      {f.amountFen !== null && (
        <Descriptions.Item label={t(`bank.amount.${f.kind}`)}>
          <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{formatYuan(f.amountFen)}</span>
        </Descriptions.Item>
      )}
      {f.transferredAt && (
        <Descriptions.Item label={t('desk.col.transferredAt')}>
          {formatCentreTime(f.transferredAt)}
        </Descriptions.Item>
      )}
      {f.legalDocNumber && (
        <Descriptions.Item label={t('desk.col.legalDoc')}>{f.legalDocNumber}</Descriptions.Item>
      )}
      {f.decisionNumber && (
        <Descriptions.Item label={t('bank.decisionNumber')}>{f.decisionNumber}</Descriptions.Item>
      )}
      {f.payee && (
        <Descriptions.Item label={t('bank.payee')} span={2}>
          <span data-testid="bank-payee">
            {f.payee.name} · <span style={MONO_STYLE}>{groupDigits(f.payee.account)}</span> ·{' '}
            {f.payee.bankName ?? f.payee.bankCode}
          </span>
        </Descriptions.Item>
      )}
      {f.previousEndsAt && (
        <Descriptions.Item label={t('bank.previousEndsAt')}>
          {formatCentreTime(f.previousEndsAt)}
        </Descriptions.Item>
      )}
      {f.endsAt && (
        <Descriptions.Item label={t(f.hold ? 'bank.hold.endsAt' : 'bank.endsAt')}>
          {formatCentreTime(f.endsAt)}
        </Descriptions.Item>
      )}
      {f.dueAt && <Descriptions.Item label={t('bank.dueAt')}>{formatCentreTime(f.dueAt)}</Descriptions.Item>}
      {f.lapsedAt && (
        <Descriptions.Item label={t('bank.lapsedAt')}>{formatCentreTime(f.lapsedAt)}</Descriptions.Item>
      )}
    </Descriptions>
  );
}

import type { AppealReceipt } from '@fanzha/contracts';
import {
  appealSubjectKinds,
  isAccountMeasureSubject,
  listBanks,
  mayWithdraw,
  type AppealSubjectKind,
} from '@fanzha/domain';
import { Alert, Button, Card, Divider, Flex, Input, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT, type MessageKey } from '../../i18n';
import { formatCentreTime } from '../../ui';

const statusKey = (s: AppealReceipt['status']) => `appeal.status.${s}` as MessageKey;

const banks = listBanks().map((b) => ({ value: b.code, label: b.nameZh }));

/**
 * 申诉 (Anti-Telecom and Online Fraud Law Art. 32): anyone listed or restricted files an appeal without an
 * account — against a listed number, site or account, a two-cards measure, or a freeze or protective hold on
 * their own account (then naming its bank) — keeps the reference number shown, checks the status later with
 * it and their phone, and may withdraw it until it is decided.
 */
export default function AppealPage() {
  const t = useT();
  const { locale } = useLocale();
  const [kind, setKind] = useState<AppealSubjectKind>('phone');
  const [form, setForm] = useState({ subjectValue: '', name: '', contactPhone: '', statement: '' });
  const [bankCode, setBankCode] = useState<string | undefined>(undefined);
  const needsBank = isAccountMeasureSubject(kind);
  const [problem, setProblem] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<AppealReceipt | null>(null);
  const [isPending, setPending] = useState(false);
  const [check, setCheck] = useState({ reference: '', phone: '' });
  const [checked, setChecked] = useState<AppealReceipt | null>(null);
  const [checkProblem, setCheckProblem] = useState<string | null>(null);
  const [key] = useState(() => crypto.randomUUID());

  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  const submit = async () => {
    if (Object.values(form).some((v) => v.trim() === '') || (needsBank && !bankCode)) {
      setProblem(t('appeal.required'));
      return;
    }
    setProblem(null);
    setPending(true);
    try {
      setReceipt(
        await api.POST('/api/public/appeals', {
          params: { header: { 'idempotency-key': key } },
          body: { subjectKind: kind, ...form, ...(needsBank && bankCode ? { bankCode } : {}) },
        }),
      );
    } catch (error) {
      setProblem(errorText(locale, error));
    } finally {
      setPending(false);
    }
  };

  const lookUp = async () => {
    setChecked(null);
    setCheckProblem(null);
    try {
      setChecked(
        await api.GET('/api/public/appeals/{reference}', {
          params: { path: { reference: check.reference.trim() }, query: { phone: check.phone } },
        }),
      );
    } catch {
      setCheckProblem(t('appeal.notFound'));
    }
  };

  const withdraw = async () => {
    if (!checked) return;
    setCheckProblem(null);
    try {
      setChecked(
        await api.POST('/api/public/appeals/{reference}/withdraw', {
          params: { path: { reference: checked.reference } },
          body: { contactPhone: check.phone },
        }),
      );
    } catch (error) {
      setCheckProblem(errorText(locale, error));
    }
  };

  return (
    <Flex justify="center" style={{ padding: '48px 16px' }}>
      <Card style={{ maxWidth: 640, width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24 }} data-testid="page-title">
          {t('appeal.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('appeal.description')}</Typography.Paragraph>
        {receipt ? (
          <Alert
            type="success"
            showIcon
            data-testid="appeal-filed"
            message={
              <>
                {t('appeal.filed')}{' '}
                <Typography.Text strong copyable data-testid="appeal-reference">
                  {receipt.reference}
                </Typography.Text>
              </>
            }
            description={t('appeal.filedDue', { due: formatCentreTime(receipt.dueAt) })}
          />
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <Flex vertical gap={12}>
              <Typography.Text>{t('appeal.subjectKind')}</Typography.Text>
              <Radio.Group
                aria-label={t('appeal.subjectKind')}
                value={kind}
                onChange={(e) => setKind(e.target.value as AppealSubjectKind)}
                optionType="button"
                options={appealSubjectKinds.map((k) => ({
                  value: k,
                  label: t(`appeal.kind.${k}` as MessageKey),
                }))}
                data-testid="appeal-kind"
              />
              {needsBank && (
                <Select
                  aria-label={t('appeal.bank')}
                  placeholder={t('appeal.bank')}
                  value={bankCode}
                  onChange={setBankCode}
                  options={banks}
                  showSearch
                  optionFilterProp="label"
                  data-testid="appeal-bank"
                />
              )}
              <Input
                aria-label={t(needsBank ? 'appeal.accountNumber' : 'appeal.subjectValue')}
                placeholder={t(needsBank ? 'appeal.accountNumber' : 'appeal.subjectValue')}
                value={form.subjectValue}
                onChange={set('subjectValue')}
                maxLength={512}
                data-testid="appeal-value"
              />
              <Input
                aria-label={t('appeal.name')}
                placeholder={t('appeal.name')}
                value={form.name}
                onChange={set('name')}
                maxLength={64}
                data-testid="appeal-name"
              />
              <Input
                aria-label={t('appeal.contactPhone')}
                placeholder={t('appeal.contactPhone')}
                value={form.contactPhone}
                onChange={set('contactPhone')}
                maxLength={32}
                data-testid="appeal-phone"
              />
              <Input.TextArea
                aria-label={t('appeal.statement')}
                placeholder={t('appeal.statement')}
                value={form.statement}
                onChange={set('statement')}
                maxLength={2000}
                rows={5}
                showCount
                data-testid="appeal-statement"
              />
              <Button type="primary" htmlType="submit" loading={isPending} data-testid="appeal-submit">
                {t('appeal.submit')}
              </Button>
              {problem && <Alert type="warning" showIcon message={problem} data-testid="appeal-problem" />}
            </Flex>
          </form>
        )}
        <Divider />
        <Typography.Title level={2} style={{ fontSize: 18 }}>
          {t('appeal.check')}
        </Typography.Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void lookUp();
          }}
        >
          <Flex gap={8} wrap>
            <Input
              aria-label={t('appeal.reference')}
              placeholder={t('appeal.reference')}
              value={check.reference}
              onChange={(e) => setCheck((c) => ({ ...c, reference: e.target.value }))}
              style={{ flex: '1 1 160px' }}
              data-testid="appeal-check-reference"
            />
            <Input
              aria-label={t('appeal.contactPhone')}
              placeholder={t('appeal.contactPhone')}
              value={check.phone}
              onChange={(e) => setCheck((c) => ({ ...c, phone: e.target.value }))}
              style={{ flex: '1 1 160px' }}
              data-testid="appeal-check-phone"
            />
            <Button htmlType="submit" data-testid="appeal-check-submit">
              {t('appeal.checkSubmit')}
            </Button>
          </Flex>
        </form>
        <div aria-live="polite" style={{ marginTop: 12 }}>
          {checked && (
            <Alert
              type="info"
              showIcon
              data-testid="appeal-status"
              message={t('appeal.status', { status: t(statusKey(checked.status)) })}
              description={t('appeal.filedDue', { due: formatCentreTime(checked.dueAt) })}
              action={
                mayWithdraw(checked.status) ? (
                  <Button size="small" onClick={() => void withdraw()} data-testid="appeal-withdraw">
                    {t('appeal.withdraw')}
                  </Button>
                ) : undefined
              }
            />
          )}
          {checkProblem && <Alert type="warning" showIcon message={checkProblem} />}
        </div>
      </Card>
    </Flex>
  );
}

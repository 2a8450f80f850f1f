import type { RiskLookupResult } from '@fanzha/contracts';
import type { LookupKind } from '@fanzha/domain';
import { Alert, Button, Card, Flex, Input, Radio, Typography } from 'antd';
import { useId, useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import {
  answerText,
  inputProblem,
  kindLabelKey,
  kindPlaceholderKey,
  levelView,
  LOOKUP_KINDS,
} from './lookup';

/**
 * 涉诈风险查询: anyone checks a phone number, website or bank account before answering or paying, without an
 * account. The value is checked here first, so a mistyped one does not spend the page's few lookups a minute.
 */
export default function LookupPage() {
  const t = useT();
  const { locale } = useLocale();
  const valueId = useId();
  const [kind, setKind] = useState<LookupKind>('phone');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [answer, setAnswer] = useState<RiskLookupResult | null>(null);
  const [isPending, setPending] = useState(false);

  const check = async () => {
    setAnswer(null);
    const local = inputProblem(kind, value, locale);
    if (local) {
      setProblem(local);
      return;
    }
    setProblem(null);
    setPending(true);
    try {
      setAnswer(await api.POST('/api/public/risk-lookup', { body: { kind, value } }));
    } catch (error) {
      setProblem(errorText(locale, error));
    } finally {
      setPending(false);
    }
  };

  const view = answer && levelView(answer.level);
  const text = answer && answerText(answer, locale);
  return (
    <Flex justify="center" style={{ padding: '48px 16px' }}>
      <Card style={{ maxWidth: 560, width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24 }} data-testid="page-title">
          {t('lookup.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('lookup.description')}</Typography.Paragraph>
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void check();
          }}
        >
          <Flex vertical gap={12}>
            <Radio.Group
              aria-label={t('lookup.kind')}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as LookupKind);
                setProblem(null);
                setAnswer(null);
              }}
              optionType="button"
              options={LOOKUP_KINDS.map((k) => ({ value: k, label: t(kindLabelKey(k)) }))}
              data-testid="lookup-kind"
            />
            <label htmlFor={valueId}>{t('lookup.value')}</label>
            <Flex gap={8}>
              <Input
                id={valueId}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                placeholder={t(kindPlaceholderKey(kind))}
                maxLength={512}
                autoComplete="off"
                data-testid="lookup-value"
              />
              <Button type="primary" htmlType="submit" loading={isPending} data-testid="lookup-submit">
                {t('lookup.submit')}
              </Button>
            </Flex>
          </Flex>
        </form>
        <div aria-live="polite" style={{ marginTop: 16 }}>
          {problem && <Alert type="warning" showIcon message={problem} data-testid="lookup-problem" />}
          {answer && view && text && (
            <Alert
              type={view.alertType}
              showIcon
              data-testid={view.testId}
              message={
                <Typography.Text strong>
                  {t(view.titleKey)} — {text.headline}
                </Typography.Text>
              }
              description={
                <>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    {t('lookup.checked', { value: answer.value })}
                  </Typography.Paragraph>
                  <Typography.Text strong>{t('lookup.next')}</Typography.Text>
                  <ol style={{ margin: '4px 0 8px', paddingInlineStart: 20 }}>
                    {text.steps.map((s) => (
                      <li key={s}>{s}</li>
                    ))}
                  </ol>
                  <Typography.Text strong data-testid="lookup-notice">
                    {text.notice}
                  </Typography.Text>
                </>
              }
            />
          )}
        </div>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          {t('lookup.hotline')}
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
}

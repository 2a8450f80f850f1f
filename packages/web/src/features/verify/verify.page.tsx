import type { VerifyAnswer } from '@fanzha/contracts';
import {
  parseVerificationCode,
  verificationCodeReasonMessagesZh,
  type VerificationCodeReason,
} from '@fanzha/domain';
import { Alert, Button, Card, Flex, Input, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { formatCentreTime } from '../../ui';

/**
 * 核验码查询: a citizen checks that an SMS or call really came from the centre. The check character is
 * checked here first, so a mistyped code is corrected without asking the server.
 */
export default function VerifyPage() {
  const t = useT();
  const { locale } = useLocale();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [answer, setAnswer] = useState<VerifyAnswer | null>(null);
  const [isPending, setPending] = useState(false);

  const check = async () => {
    setAnswer(null);
    const parsed = parseVerificationCode(code);
    if (!parsed.ok) {
      setProblem(
        locale === 'zh-CN'
          ? verificationCodeReasonMessagesZh[parsed.reason as VerificationCodeReason]
          : parsed.message,
      );
      return;
    }
    setProblem(null);
    setPending(true);
    try {
      setAnswer(await api.GET('/api/public/verify/{code}', { params: { path: { code: parsed.value } } }));
    } catch (error) {
      setProblem(errorText(locale, error));
    } finally {
      setPending(false);
    }
  };

  const channel = (c: VerifyAnswer['channel']) => (c ? t(`verify.channel.${c}`) : '');
  return (
    <Flex justify="center" style={{ padding: '48px 16px' }}>
      <Card style={{ maxWidth: 520, width: '100%' }}>
        <Typography.Title level={3} data-testid="page-title">
          {t('verify.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('verify.description')}</Typography.Paragraph>
        <Flex gap={8}>
          <Input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onPressEnter={() => void check()}
            placeholder="7KQ2M-XR9PT"
            maxLength={20}
            aria-label={t('verify.code')}
            data-testid="verify-code"
          />
          <Button type="primary" loading={isPending} onClick={() => void check()} data-testid="verify-submit">
            {t('verify.submit')}
          </Button>
        </Flex>
        {problem && (
          <Alert
            style={{ marginTop: 16 }}
            type="warning"
            showIcon
            message={problem}
            data-testid="verify-problem"
          />
        )}
        {answer &&
          (answer.isGenuine ? (
            <Alert
              style={{ marginTop: 16 }}
              type="success"
              showIcon
              message={t('verify.genuine')}
              description={t('verify.genuine.detail', {
                centre: answer.centre ?? '',
                at: answer.at ? formatCentreTime(answer.at) : '',
                channel: channel(answer.channel),
              })}
              data-testid="verify-genuine"
            />
          ) : (
            <Alert
              style={{ marginTop: 16 }}
              type="error"
              showIcon
              message={t('verify.notGenuine')}
              description={t('verify.notGenuine.detail')}
              data-testid="verify-not-genuine"
            />
          ))}
      </Card>
    </Flex>
  );
}

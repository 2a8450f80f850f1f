import { SafetyCertificateFilled } from '@ant-design/icons';
import type { VerifyAnswer } from '@fanzha/contracts';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { ApiError, api } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { LanguageSwitch, formatCentreTime } from '../../ui';

/**
 * 核验: a citizen checks that an SMS or call really came from the centre, by the code it carried. Public (no
 * sign-in), nothing personal is shown; the server refuses a mistyped code by its check character and limits
 * how often anyone may ask.
 */
export default function VerifyPage() {
  const t = useT();
  const { locale } = useLocale();
  const check = useMutation({
    mutationFn: (code: string) =>
      api.GET('/api/public/verify/{code}', { params: { path: { code: code.trim().toUpperCase() } } }),
  });
  const answer: VerifyAnswer | undefined = check.data;
  const isMistyped = check.error instanceof ApiError && check.error.status === 400;
  return (
    <Flex justify="center" style={{ minHeight: '100vh', padding: '48px 16px', background: '#f5f7fa' }}>
      <Card style={{ width: 520, height: 'fit-content' }}>
        <Flex vertical gap={16}>
          <Flex justify="space-between" align="center">
            <Flex gap={8} align="center">
              <SafetyCertificateFilled style={{ fontSize: 24, color: '#1f5fbf' }} />
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
                {t('verify.title')}
              </Typography.Title>
            </Flex>
            <LanguageSwitch />
          </Flex>
          <Typography.Paragraph type="secondary">{t('verify.description')}</Typography.Paragraph>
          <Form layout="vertical" onFinish={({ code }: { code: string }) => check.mutate(code)}>
            <Form.Item
              label={t('verify.code')}
              name="code"
              rules={[{ required: true, message: t('verify.error') }]}
            >
              <Input
                size="large"
                maxLength={20}
                autoComplete="off"
                placeholder={t('verify.placeholder')}
                style={{ fontFamily: 'monospace', letterSpacing: 2 }}
                data-testid="verify-code"
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              size="large"
              block
              loading={check.isPending}
              data-testid="verify-check"
            >
              {t('verify.check')}
            </Button>
          </Form>
          {answer?.isGenuine && (
            <Alert
              type="success"
              showIcon
              data-testid="verify-result"
              data-genuine="true"
              title={t('verify.genuine', {
                centre: answer.centre ?? '—',
                at: formatCentreTime(answer.at),
                channel: answer.channel ? t(`warnings.channel.${answer.channel}`) : '—',
              })}
            />
          )}
          {answer && !answer.isGenuine && (
            <Alert
              type="error"
              showIcon
              data-testid="verify-result"
              data-genuine="false"
              title={t('verify.notGenuine')}
            />
          )}
          {check.isError && (
            <Alert
              type={isMistyped ? 'warning' : 'error'}
              showIcon
              data-testid="verify-result"
              data-genuine="unknown"
              title={isMistyped ? t('verify.error') : errorText(locale, check.error)}
            />
          )}
        </Flex>
      </Card>
    </Flex>
  );
}

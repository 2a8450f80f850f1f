import { Flex, Typography, theme } from 'antd';
import { QRCodeSVG } from 'qrcode.react';
import { useT } from '../../i18n';
import { groupSecret } from './totp-input';

/** First sign-in: the authenticator app learns the secret from the QR code, or by typing it. */
export function Enrolment({ secret, otpauthUrl }: { secret: string; otpauthUrl: string }) {
  const t = useT();
  const { token } = theme.useToken();
  const stepStyle = { margin: 0, color: token.colorTextSecondary };
  return (
    <Flex vertical gap={12} data-testid="signin-enrolment">
      <Typography.Paragraph style={stepStyle}>
        <Typography.Text strong>1.</Typography.Text> {t('signIn.enrol.install')}
      </Typography.Paragraph>
      <Typography.Paragraph style={stepStyle}>
        <Typography.Text strong>2.</Typography.Text> {t('signIn.enrol.scan')}
      </Typography.Paragraph>
      <Flex
        align="center"
        gap={20}
        style={{
          padding: 16,
          border: `1px solid ${token.colorBorderSecondary}`,
          borderRadius: token.borderRadiusLG,
          background: token.colorFillQuaternary,
        }}
      >
        <div
          data-testid="signin-enrol-qr"
          style={{
            padding: 8,
            background: '#fff',
            borderRadius: token.borderRadius,
            lineHeight: 0,
            flex: 'none',
          }}
        >
          <QRCodeSVG value={otpauthUrl} size={148} level="M" title={t('signIn.enrol.qrTitle')} />
        </div>
        <Flex vertical gap={6} style={{ minWidth: 0 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('signIn.enrol.manual')}
          </Typography.Text>
          <span
            data-testid="signin-enrol-secret"
            style={{
              fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
              fontSize: 15,
              lineHeight: 1.6,
              wordSpacing: 2,
            }}
          >
            {groupSecret(secret)}
          </span>
          <Typography.Text
            copyable={{ text: secret, tooltips: [t('signIn.enrol.copy'), t('signIn.enrol.copied')] }}
            type="secondary"
            style={{ fontSize: 12 }}
          >
            {t('signIn.enrol.copy')}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('signIn.enrol.timeBased')}
          </Typography.Text>
        </Flex>
      </Flex>
      <Typography.Paragraph style={stepStyle}>
        <Typography.Text strong>3.</Typography.Text> {t('signIn.enrol.enterCode')}
      </Typography.Paragraph>
    </Flex>
  );
}

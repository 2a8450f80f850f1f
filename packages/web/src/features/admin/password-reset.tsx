import type { PasswordReset, UserView } from '@fanzha/contracts';
import { App, Alert, Button, Modal, Popconfirm, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useT } from '../../i18n';
import { useResetPassword } from './use-users';

/**
 * Resets a user's password to a one-time password the server chooses and shows it once, for the admin
 * to hand over; the user must replace it at the next sign-in.
 */
export function ResetPasswordButton({ user, isSelf }: { user: UserView; isSelf: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const reset = useResetPassword();
  const [shown, setShown] = useState<PasswordReset | null>(null);

  const run = () =>
    reset
      .mutateAsync(user.id)
      .then(setShown, (error: unknown) =>
        message.error(t('admin.actionFailed', { reason: error instanceof Error ? error.message : '' })),
      );

  return (
    <>
      <Tooltip title={isSelf ? t('admin.self') : undefined}>
        <Popconfirm
          title={t('admin.confirm.resetPassword', { username: user.username })}
          description={<div style={{ maxWidth: 320 }}>{t('admin.confirm.resetPasswordDetail')}</div>}
          onConfirm={() => void run()}
          okText={t('admin.action.resetPassword')}
          okButtonProps={{ danger: true, 'data-testid': 'user-reset-password-confirm' }}
          cancelText={t('common.cancel')}
          disabled={isSelf}
        >
          <Button
            type="link"
            size="small"
            disabled={isSelf}
            loading={reset.isPending}
            data-testid={`user-reset-password-${user.username}`}
          >
            {t('admin.action.resetPassword')}
          </Button>
        </Popconfirm>
      </Tooltip>
      <Modal
        open={shown !== null}
        title={t('admin.otp.title', { username: user.username })}
        closable={false}
        maskClosable={false}
        keyboard={false}
        footer={
          <Button type="primary" onClick={() => setShown(null)} data-testid="user-otp-done">
            {t('admin.otp.done')}
          </Button>
        }
      >
        <Typography.Paragraph
          copyable={{
            text: shown?.oneTimePassword ?? '',
            tooltips: [t('admin.otp.copy'), t('signIn.enrol.copied')],
          }}
          style={{ fontSize: 22, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
          data-testid="user-otp"
        >
          {shown?.oneTimePassword}
        </Typography.Paragraph>
        <Alert type="warning" showIcon title={t('admin.otp.hint')} />
      </Modal>
    </>
  );
}

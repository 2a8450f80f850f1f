import { LockOutlined } from '@ant-design/icons';
import { Alert, Form, Input } from 'antd';
import { useT } from '../../i18n';

export const MIN_NEW_PASSWORD = 12;

/**
 * The new password that must come with a one-time password (an admin's reset), typed twice. Lives in the
 * credentials form: the server sets it before the second factor.
 */
export function NewPasswordFields() {
  const t = useT();
  return (
    <>
      <Alert
        type="info"
        showIcon
        title={t('signIn.newPassword.title')}
        description={t('signIn.newPassword.hint')}
        style={{ marginBottom: 16 }}
        data-testid="signin-new-password-needed"
      />
      <Form.Item
        name="newPassword"
        label={t('signIn.newPassword')}
        extra={t('signIn.newPassword.rules')}
        rules={[
          { required: true, message: t('signIn.password.required') },
          { min: MIN_NEW_PASSWORD, message: t('admin.field.passwordShort', { n: MIN_NEW_PASSWORD }) },
        ]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="new-password"
          autoFocus
          data-testid="signin-new-password"
        />
      </Form.Item>
      <Form.Item
        name="newPasswordAgain"
        label={t('signIn.newPassword.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('signIn.password.required') },
          ({ getFieldValue }) => ({
            validator: (_, value?: string) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('signIn.newPassword.mismatch'))),
          }),
        ]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="new-password"
          data-testid="signin-new-password-again"
        />
      </Form.Item>
    </>
  );
}

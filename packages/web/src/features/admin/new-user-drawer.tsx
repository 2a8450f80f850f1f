import { operators, roles, scopeOfRole } from '@fanzha/domain';
import { Alert, App, Button, Drawer, Flex, Form, Input, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { ApiError } from '../../api';
import { errorText, useLocale, useT } from '../../i18n';
import { toFormErrors } from './field-errors';
import {
  MIN_PASSWORD_LENGTH,
  NEW_USER_FIELDS,
  USERNAME_PATTERN,
  generatePassword,
  isWeakPassword,
  toCreateUserRequest,
  type NewUserValues,
} from './new-user';
import { bankOptions, countyOptions, problemText } from './scope-options';
import { useCreateUser } from './use-users';

export function NewUserDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewUserValues>();
  const role = Form.useWatch('role', form);
  const scope = role ? scopeOfRole[role] : null;
  const create = useCreateUser();
  const [formProblems, setFormProblems] = useState<string[]>([]);
  const [isPasswordVisible, setIsPasswordVisible] = useState(false);
  const banks = useMemo(() => bankOptions(locale), [locale]);
  const counties = useMemo(() => countyOptions(), []);

  const close = () => {
    form.resetFields();
    setFormProblems([]);
    setIsPasswordVisible(false);
    onClose();
  };

  const submit = (values: NewUserValues) => {
    setFormProblems([]);
    create.mutate(toCreateUserRequest(values), {
      onSuccess: (user) => {
        void message.success(t('admin.created', { username: user.username }));
        close();
      },
      onError: (error) => {
        if (!(error instanceof ApiError)) return setFormProblems([String(error)]);
        const { fields, other } = toFormErrors(error.details, NEW_USER_FIELDS, problemText(locale, t));
        // A taken username is a conflict; older servers may send it without field details.
        if (error.code === 'conflict' && fields.length === 0)
          fields.push({ name: 'username', errors: [t('admin.reason.taken')] });
        form.setFields(fields);
        if (fields.length === 0 && other.length === 0) other.push(errorText(locale, error));
        setFormProblems(other);
      },
    });
  };

  return (
    <Drawer
      title={t('admin.new')}
      open={open}
      onClose={close}
      size={480}
      destroyOnHidden
      data-testid="user-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            onClick={() => form.submit()}
            loading={create.isPending}
            data-testid="user-create"
          >
            {t('admin.create')}
          </Button>
        </Flex>
      }
    >
      <Form<NewUserValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ role: 'call_taker' }}
        data-testid="user-form"
      >
        <Form.Item
          name="username"
          label={t('admin.col.username')}
          extra={t('admin.field.usernameHint')}
          rules={[
            { required: true, message: t('admin.field.required') },
            { pattern: USERNAME_PATTERN, message: t('admin.field.usernameInvalid') },
          ]}
        >
          <Input autoComplete="off" spellCheck={false} autoCapitalize="none" data-testid="user-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('admin.col.displayName')}
          rules={[{ required: true, whitespace: true, message: t('admin.field.required') }]}
        >
          <Input maxLength={64} data-testid="user-displayName" />
        </Form.Item>
        <Form.Item name="role" label={t('admin.col.role')} rules={[{ required: true }]}>
          <Select
            data-testid="user-role"
            options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={() =>
              form.setFieldsValue({ bankCode: undefined, operatorCode: undefined, countyCode: undefined })
            }
          />
        </Form.Item>
        {scope === 'bank' && (
          <Form.Item
            name="bankCode"
            label={t('admin.field.bank')}
            rules={[{ required: true, message: t('admin.field.required') }]}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} options={banks} data-testid="user-bank" />
          </Form.Item>
        )}
        {scope === 'operator' && (
          <Form.Item
            name="operatorCode"
            label={t('admin.field.operator')}
            rules={[{ required: true, message: t('admin.field.required') }]}
          >
            <Select
              options={operators.map((o) => ({ value: o, label: t(`operator.${o}`) }))}
              data-testid="user-operator"
            />
          </Form.Item>
        )}
        {scope === 'county' && (
          <Form.Item
            name="countyCode"
            label={t('admin.field.county')}
            rules={[{ required: true, message: t('admin.field.required') }]}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} options={counties} data-testid="user-county" />
          </Form.Item>
        )}
        <Form.Item label={t('admin.field.password')} extra={t('admin.field.passwordHint')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="password"
              noStyle
              rules={[
                { required: true, message: t('admin.field.required') },
                {
                  min: MIN_PASSWORD_LENGTH,
                  message: t('admin.field.passwordShort', { n: MIN_PASSWORD_LENGTH }),
                },
                ({ getFieldValue }) => ({
                  validator: (_, value?: string) =>
                    value && isWeakPassword(value, String(getFieldValue('username') ?? ''))
                      ? Promise.reject(new Error(t('admin.reason.weak_password')))
                      : Promise.resolve(),
                }),
              ]}
            >
              <Input.Password
                autoComplete="new-password"
                visibilityToggle={{ visible: isPasswordVisible, onVisibleChange: setIsPasswordVisible }}
                data-testid="user-password"
              />
            </Form.Item>
            <Button
              onClick={() => {
                form.setFieldsValue({ password: generatePassword() });
                setIsPasswordVisible(true);
                void form.validateFields(['password']);
              }}
              data-testid="user-password-generate"
            >
              {t('admin.field.generate')}
            </Button>
          </Space.Compact>
        </Form.Item>
        {formProblems.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={t('admin.error.create')}
            description={formProblems.map((p) => (
              <div key={p}>{p}</div>
            ))}
            data-testid="user-form-error"
          />
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {t('admin.field.totpNote')}
        </Typography.Paragraph>
      </Form>
    </Drawer>
  );
}

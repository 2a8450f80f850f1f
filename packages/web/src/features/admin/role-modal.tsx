import type { UserView } from '@fanzha/contracts';
import { operators, roles, scopeOfRole } from '@fanzha/domain';
import { Alert, App, Form, Modal, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { ApiError } from '../../api';
import { useLocale, useT } from '../../i18n';
import { toFormErrors } from './field-errors';
import { toSetUserRoleRequest, type RoleValues } from './new-user';
import { bankOptions, countyOptions, problemText } from './scope-options';
import { useSetRole } from './use-users';

const ROLE_FIELDS = ['role', 'bankCode', 'operatorCode', 'countyCode'] as const;

/** Changes a user's role and the scope it needs, as a whole; the server ends the user's sessions. */
export function RoleModal({ user, onClose }: { user: UserView | null; onClose: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoleValues>();
  const role = Form.useWatch('role', form);
  const scope = role ? scopeOfRole[role] : null;
  const setRole = useSetRole();
  const [problems, setProblems] = useState<string[]>([]);
  const banks = useMemo(() => bankOptions(locale), [locale]);
  const counties = useMemo(() => countyOptions(), []);

  const close = () => {
    setProblems([]);
    onClose();
  };
  const submit = (values: RoleValues) => {
    if (!user) return;
    setProblems([]);
    setRole.mutate(
      { id: user.id, body: toSetUserRoleRequest(values) },
      {
        onSuccess: (updated) => {
          void message.success(t('admin.role.done', { username: updated.username }));
          close();
        },
        onError: (error) => {
          if (!(error instanceof ApiError)) return setProblems([String(error)]);
          const { fields, other } = toFormErrors(error.details, ROLE_FIELDS, problemText(locale, t));
          form.setFields(fields);
          if (fields.length === 0 && other.length === 0) other.push(error.message);
          setProblems(other);
        },
      },
    );
  };
  const required = [{ required: true, message: t('admin.field.required') }];

  return (
    <Modal
      open={user !== null}
      title={user ? t('admin.role.title', { username: user.username }) : ''}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('admin.role.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: setRole.isPending, 'data-testid': 'user-role-save' }}
      destroyOnHidden
      data-testid="user-role-modal"
    >
      {user && (
        <Form<RoleValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={{
            role: user.role,
            bankCode: user.bankCode ?? undefined,
            operatorCode: user.operatorCode ?? undefined,
            countyCode: user.countyCode ?? undefined,
          }}
        >
          <Typography.Paragraph type="secondary">{t('admin.role.hint')}</Typography.Paragraph>
          <Form.Item name="role" label={t('admin.col.role')} rules={[{ required: true }]}>
            <Select
              data-testid="user-role-edit"
              options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
              onChange={() =>
                form.setFieldsValue({ bankCode: undefined, operatorCode: undefined, countyCode: undefined })
              }
            />
          </Form.Item>
          {scope === 'bank' && (
            <Form.Item name="bankCode" label={t('admin.field.bank')} rules={required}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={banks}
                data-testid="user-role-bank"
              />
            </Form.Item>
          )}
          {scope === 'operator' && (
            <Form.Item name="operatorCode" label={t('admin.field.operator')} rules={required}>
              <Select
                options={operators.map((o) => ({ value: o, label: t(`operator.${o}`) }))}
                data-testid="user-role-operator"
              />
            </Form.Item>
          )}
          {scope === 'county' && (
            <Form.Item name="countyCode" label={t('admin.field.county')} rules={required}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={counties}
                data-testid="user-role-county"
              />
            </Form.Item>
          )}
          {problems.length > 0 && (
            <Alert
              type="error"
              showIcon
              title={t('admin.error.role')}
              description={problems.map((p) => (
                <div key={p}>{p}</div>
              ))}
              data-testid="user-role-error"
            />
          )}
        </Form>
      )}
    </Modal>
  );
}

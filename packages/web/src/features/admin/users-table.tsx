import type { UserView } from '@fanzha/contracts';
import { roles } from '@fanzha/domain';
import {
  App,
  Badge,
  Button,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableProps,
} from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { errorText, formatDateTime, useLocale, useT } from '../../i18n';
import { scopeLabel, useMe } from '../../session';
import { scopeNames } from './scope-names';
import { ResetPasswordButton } from './password-reset';
import { RoleModal } from './role-modal';
import { useUserAction, type UserAction } from './use-users';

function matches(user: UserView, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return !needle || user.username.includes(needle) || user.displayName.toLowerCase().includes(needle);
}

function Actions({ user, onEditRole }: { user: UserView; onEditRole: (user: UserView) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const { message } = App.useApp();
  const action = useUserAction();
  const isSelf = user.id === me.id;

  const run = (kind: UserAction) =>
    action.mutateAsync({ id: user.id, action: kind }).then(
      () => void message.success(t(`admin.done.${kind}`, { username: user.username })),
      (error: unknown) => void message.error(t('admin.actionFailed', { reason: errorText(locale, error) })),
    );

  const isBusy = (kind: UserAction) => action.isPending && action.variables.action === kind;
  return (
    <Space size={0} wrap>
      {user.isDisabled ? (
        <Popconfirm
          title={t('admin.confirm.enable', { username: user.username })}
          onConfirm={() => void run('enable')}
          okText={t('admin.action.enable')}
          cancelText={t('common.cancel')}
        >
          <Button
            type="link"
            size="small"
            loading={isBusy('enable')}
            data-testid={`user-enable-${user.username}`}
          >
            {t('admin.action.enable')}
          </Button>
        </Popconfirm>
      ) : (
        <Tooltip title={isSelf ? t('admin.self') : undefined}>
          <Popconfirm
            title={t('admin.confirm.disable', { username: user.username })}
            description={t('admin.confirm.disableDetail')}
            onConfirm={() => void run('disable')}
            okText={t('admin.action.disable')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            disabled={isSelf}
          >
            <Button
              type="link"
              size="small"
              danger
              disabled={isSelf}
              loading={isBusy('disable')}
              data-testid={`user-disable-${user.username}`}
            >
              {t('admin.action.disable')}
            </Button>
          </Popconfirm>
        </Tooltip>
      )}
      <Tooltip title={isSelf ? t('admin.self') : undefined}>
        <Button
          type="link"
          size="small"
          disabled={isSelf}
          onClick={() => onEditRole(user)}
          data-testid={`user-edit-role-${user.username}`}
        >
          {t('admin.action.editRole')}
        </Button>
      </Tooltip>
      <ResetPasswordButton user={user} isSelf={isSelf} />
      <Popconfirm
        title={t('admin.confirm.resetTotp', { username: user.username })}
        description={t('admin.confirm.resetTotpDetail')}
        onConfirm={() => void run('reset-totp')}
        okText={t('admin.action.resetTotp')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        disabled={!user.hasTotp}
      >
        <Button
          type="link"
          size="small"
          disabled={!user.hasTotp}
          loading={isBusy('reset-totp')}
          data-testid={`user-reset-totp-${user.username}`}
        >
          {t('admin.action.resetTotp')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

export function UsersTable({
  users,
  isLoading,
  search,
}: {
  users: UserView[];
  isLoading: boolean;
  search: string;
}) {
  const t = useT();
  const { locale } = useLocale();
  const names = useMemo(() => scopeNames(locale), [locale]);
  const [editing, setEditing] = useState<UserView | null>(null);

  const columns: TableProps<UserView>['columns'] = [
    {
      key: 'username',
      title: t('admin.col.username'),
      dataIndex: 'username',
      sorter: (a, b) => a.username.localeCompare(b.username),
      render: (_, user) => (
        <Space size={6}>
          <Typography.Text style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}>
            {user.username}
          </Typography.Text>
          {user.isDemo && <Tag color="purple">{t('admin.demo')}</Tag>}
        </Space>
      ),
    },
    { key: 'displayName', title: t('admin.col.displayName'), dataIndex: 'displayName' },
    {
      key: 'role',
      title: t('admin.col.role'),
      dataIndex: 'role',
      filters: roles.map((role) => ({ text: t(`role.${role}`), value: role })),
      onFilter: (value, user) => user.role === value,
      render: (_, user) => t(`role.${user.role}`),
    },
    {
      key: 'scope',
      title: t('admin.col.scope'),
      render: (_, user) =>
        scopeLabel(user, t, names) ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      key: 'totp',
      title: t('admin.col.totp'),
      dataIndex: 'hasTotp',
      render: (_, user) =>
        user.hasTotp ? (
          <Tag color="success">{t('admin.totp.enrolled')}</Tag>
        ) : (
          <Tag>{t('admin.totp.pending')}</Tag>
        ),
    },
    {
      key: 'status',
      title: t('admin.col.status'),
      dataIndex: 'isDisabled',
      filters: [
        { text: t('admin.status.active'), value: false },
        { text: t('admin.status.disabled'), value: true },
      ],
      onFilter: (value, user) => user.isDisabled === value,
      render: (_, user) => (
        <Space size={6}>
          <Badge
            status={user.isDisabled ? 'default' : 'success'}
            text={t(user.isDisabled ? 'admin.status.disabled' : 'admin.status.active')}
          />
          {user.mustChangePassword && (
            <Tag color="warning" data-testid={`user-must-change-${user.username}`}>
              {t('admin.mustChangePassword')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      key: 'lastSignInAt',
      title: t('admin.col.lastSignIn'),
      dataIndex: 'lastSignInAt',
      sorter: (a, b) => (a.lastSignInAt ?? '').localeCompare(b.lastSignInAt ?? ''),
      render: (_, user) =>
        user.lastSignInAt ? (
          <span style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="user-last-sign-in">
            {formatDateTime(user.lastSignInAt)}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('admin.never')}</Typography.Text>
        ),
    },
    {
      key: 'actions',
      title: t('admin.col.actions'),
      render: (_, user) => <Actions user={user} onEditRole={setEditing} />,
    },
  ];

  return (
    <>
      <RoleModal user={editing} onClose={() => setEditing(null)} />
      <Table<UserView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={users.filter((u) => matches(u, search))}
        loading={isLoading}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        onRow={(user) => ({ 'data-testid': `user-row-${user.username}` }) as HTMLAttributes<HTMLElement>}
        data-testid="users-table"
        scroll={{ x: 'max-content' }}
      />
    </>
  );
}

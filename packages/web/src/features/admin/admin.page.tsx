import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Input } from 'antd';
import { useState } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { PageHeading } from '../../ui';
import { NewUserDrawer } from './new-user-drawer';
import { useUsers } from './use-users';
import { UsersTable } from './users-table';

/** Accounts: who may sign in, with which role and scope; enrolment of the second factor happens at first sign-in. */
export default function AdminPage() {
  const t = useT();
  const { locale } = useLocale();
  const users = useUsers();
  const [isCreating, setIsCreating] = useState(false);
  const [search, setSearch] = useState('');

  return (
    <>
      <PageHeading
        title={t('console.admin.title')}
        description={t('admin.description')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setIsCreating(true)}
            data-testid="user-new"
          >
            {t('admin.new')}
          </Button>
        }
      />
      <Card
        title={t('admin.users')}
        extra={
          <Flex gap={8}>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('admin.search')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              style={{ width: 240 }}
              data-testid="user-search"
            />
            <Button
              icon={<ReloadOutlined />}
              onClick={() => void users.refetch()}
              loading={users.isFetching}
              aria-label={t('common.refresh')}
            />
          </Flex>
        }
      >
        {users.isError ? (
          <Alert
            type="error"
            showIcon
            title={t('admin.loadError')}
            description={errorText(locale, users.error)}
            action={<Button onClick={() => void users.refetch()}>{t('home.retry')}</Button>}
          />
        ) : (
          <UsersTable users={users.data?.users ?? []} isLoading={users.isPending} search={search} />
        )}
      </Card>
      <NewUserDrawer open={isCreating} onClose={() => setIsCreating(false)} />
    </>
  );
}

import {
  CheckCircleFilled,
  LeftOutlined,
  ReloadOutlined,
  RightOutlined,
  SafetyCertificateOutlined,
  WarningFilled,
} from '@ant-design/icons';
import type { AuditEntryView } from '@fanzha/contracts';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  Select,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { useMemo, useState } from 'react';
import { errorText, formatDateTime, hasMessage, useLocale, useT, type Translate } from '../../i18n';
import { PageHeading } from '../../ui';
import { auditRowKey, nextBeforeSeq, shortId, type AuditFilters } from './audit-query';
import { useAuditEntries, useAuditVerification } from './use-audit';

const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const PAGE_SIZES = [50, 100, 200];
const RESULT_COLORS = { success: 'success', failure: 'error', denied: 'warning' } as const;

/** An action by name in the interface's language; a code this build does not know shows as it is. */
function actionName(action: string, t: Translate): string {
  const key = `audit.action.${action}`;
  return hasMessage(key) ? t(key) : action;
}

function roleName(role: string | null, t: Translate): string {
  if (!role) return '—';
  const key = `role.${role}`;
  return hasMessage(key) ? t(key) : role;
}

function Verification() {
  const t = useT();
  const { locale } = useLocale();
  const verification = useAuditVerification();
  const result = verification.data;

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          <SafetyCertificateOutlined />
          {t('audit.verify.title')}
        </Flex>
      }
      style={{ marginBottom: 16 }}
    >
      <Flex align="flex-start" gap={16} wrap>
        <Button
          type="primary"
          onClick={() => void verification.refetch()}
          loading={verification.isFetching}
          data-testid="audit-verify"
        >
          {t('audit.verify.run')}
        </Button>
        <div style={{ flex: 1, minWidth: 280 }} data-testid="audit-verify-result">
          {verification.isError && (
            <Alert
              type="error"
              showIcon
              title={t('audit.verify.failed')}
              description={errorText(locale, verification.error)}
            />
          )}
          {result?.isIntact === true && (
            <Alert
              type="success"
              icon={<CheckCircleFilled />}
              showIcon
              title={t('audit.verify.intact', { checked: result.checked })}
              description={
                <>
                  {result.unsealed > 0 && (
                    <div>{t('audit.verify.unsealed', { unsealed: result.unsealed })}</div>
                  )}
                  <div>
                    {t('audit.verify.at', {
                      at: formatDateTime(new Date(verification.dataUpdatedAt).toISOString()),
                    })}
                  </div>
                </>
              }
              data-testid="audit-intact"
            />
          )}
          {result?.isIntact === false && (
            <Alert
              type="error"
              icon={<WarningFilled />}
              showIcon
              title={
                result.firstBroken
                  ? t('audit.verify.broken', { seq: result.firstBroken.seq })
                  : t('audit.verify.brokenUnknown')
              }
              description={
                <>
                  {result.firstBroken && (
                    <div style={{ fontFamily: MONO }} data-testid="audit-broken-problem">
                      {result.firstBroken.problem}
                    </div>
                  )}
                  <div>
                    {t('audit.verify.checked', { checked: result.checked, unsealed: result.unsealed })}
                  </div>
                </>
              }
              data-testid="audit-broken"
            />
          )}
          {!result && !verification.isError && (
            <Typography.Text type="secondary">{t('audit.verify.hint')}</Typography.Text>
          )}
        </div>
      </Flex>
    </Card>
  );
}

function EntryDetails({ entry }: { entry: AuditEntryView }) {
  const t = useT();
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      items={[
        { key: 'userId', label: t('audit.col.userId'), children: <code>{entry.userId ?? '—'}</code> },
        {
          key: 'object',
          label: t('audit.col.object'),
          children: <code>{entry.objectType ? `${entry.objectType}/${entry.objectId ?? ''}` : '—'}</code>,
        },
        {
          key: 'requestId',
          label: t('audit.col.requestId'),
          children: <code>{entry.requestId ?? '—'}</code>,
        },
        {
          key: 'clientAddress',
          label: t('audit.col.clientAddress'),
          children: <code>{entry.clientAddress ?? '—'}</code>,
        },
        {
          key: 'hash',
          label: t('audit.col.hash'),
          children: <code style={{ wordBreak: 'break-all' }}>{entry.hash ?? t('audit.unsealed')}</code>,
        },
        {
          key: 'details',
          label: t('audit.col.details'),
          children: (
            <pre
              style={{
                margin: 0,
                fontFamily: MONO,
                fontSize: 12,
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
              }}
            >
              {JSON.stringify(entry.details, null, 2)}
            </pre>
          ),
        },
      ]}
    />
  );
}

function Entries() {
  const t = useT();
  const { locale } = useLocale();
  const [form] = Form.useForm<AuditFilters>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [limit, setLimit] = useState(PAGE_SIZES[0] ?? 50);
  // Keyset paging: the cursor of every page seen so far, so "previous" goes back exactly.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const beforeSeq = cursors[cursors.length - 1];
  const entries = useAuditEntries({ limit, ...filters, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
  const rows = useMemo(() => entries.data?.entries ?? [], [entries.data]);
  const next = nextBeforeSeq(rows, limit);
  const actionOptions = useMemo(
    () =>
      [...new Set(rows.map((e) => e.action))]
        .sort()
        .map((value) => ({ value, label: `${actionName(value, t)} · ${value}` })),
    [rows, t],
  );

  const search = (values: AuditFilters) => {
    setFilters({
      ...(values.action?.trim() ? { action: values.action.trim() } : {}),
      ...(values.username?.trim() ? { username: values.username.trim() } : {}),
    });
    setCursors([undefined]);
  };

  const columns: TableProps<AuditEntryView>['columns'] = [
    {
      key: 'seq',
      title: t('audit.col.seq'),
      dataIndex: 'seq',
      width: 90,
      render: (_, e) =>
        e.seq === null ? (
          <Tag>{t('audit.unsealed')}</Tag>
        ) : (
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>{e.seq}</span>
        ),
    },
    {
      key: 'at',
      title: t('audit.col.at'),
      dataIndex: 'at',
      render: (_, e) => (
        <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid="audit-at">
          {formatDateTime(e.at)}
        </span>
      ),
    },
    {
      key: 'username',
      title: t('audit.col.user'),
      dataIndex: 'username',
      render: (_, e) => e.username ?? '—',
    },
    { key: 'role', title: t('audit.col.role'), dataIndex: 'role', render: (_, e) => roleName(e.role, t) },
    {
      key: 'action',
      title: t('audit.col.action'),
      dataIndex: 'action',
      // By name; the code (what the filter takes) on hover.
      render: (_, e) => (
        <Tag title={e.action} data-testid="audit-action" data-action={e.action}>
          {actionName(e.action, t)}
        </Tag>
      ),
    },
    {
      key: 'object',
      title: t('audit.col.object'),
      render: (_, e) =>
        e.objectType ? (
          <Typography.Text
            style={{ fontFamily: MONO, fontSize: 12, whiteSpace: 'nowrap' }}
            title={e.objectId ?? undefined}
          >
            {e.objectType}
            {e.objectId ? `/${shortId(e.objectId)}` : ''}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      key: 'result',
      title: t('audit.col.result'),
      dataIndex: 'result',
      render: (_, e) => <Tag color={RESULT_COLORS[e.result]}>{t(`audit.result.${e.result}`)}</Tag>,
    },
    {
      key: 'requestId',
      title: t('audit.col.requestId'),
      dataIndex: 'requestId',
      render: (_, e) =>
        e.requestId ? (
          <Typography.Text
            copyable={{ text: e.requestId }}
            title={e.requestId}
            style={{ fontFamily: MONO, fontSize: 12, whiteSpace: 'nowrap' }}
          >
            {shortId(e.requestId)}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Card
      title={t('audit.entries')}
      extra={
        <Button
          icon={<ReloadOutlined />}
          onClick={() => void entries.refetch()}
          loading={entries.isFetching}
          aria-label={t('common.refresh')}
        />
      }
    >
      <Form form={form} layout="inline" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="action" label={t('audit.col.action')}>
          <AutoComplete
            options={actionOptions}
            style={{ width: 220 }}
            placeholder="auth.sign_in"
            allowClear
            data-testid="audit-filter-action"
          />
        </Form.Item>
        <Form.Item name="username" label={t('audit.col.user')}>
          <Input allowClear style={{ width: 180 }} spellCheck={false} data-testid="audit-filter-username" />
        </Form.Item>
        <Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" data-testid="audit-search">
              {t('audit.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                search({});
              }}
            >
              {t('audit.reset')}
            </Button>
          </Flex>
        </Form.Item>
      </Form>
      {entries.isError && (
        <Alert
          type="error"
          showIcon
          title={t('audit.loadError')}
          description={errorText(locale, entries.error)}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<AuditEntryView>
        rowKey={auditRowKey}
        size="small"
        columns={columns}
        dataSource={rows}
        loading={entries.isFetching}
        pagination={false}
        expandable={{ expandedRowRender: (entry) => <EntryDetails entry={entry} /> }}
        scroll={{ x: 'max-content' }}
        data-testid="audit-table"
      />
      <Flex justify="flex-end" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('audit.page', { page: cursors.length })}</Typography.Text>
        <Button
          icon={<LeftOutlined />}
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
          data-testid="audit-prev"
        >
          {t('audit.prev')}
        </Button>
        <Button
          disabled={next === undefined || entries.isPlaceholderData}
          onClick={() => setCursors((c) => [...c, next])}
          data-testid="audit-next"
        >
          {t('audit.next')} <RightOutlined />
        </Button>
        <Select
          value={limit}
          onChange={(value) => {
            setLimit(value);
            setCursors([undefined]);
          }}
          options={PAGE_SIZES.map((n) => ({ value: n, label: t('audit.pageSize', { n }) }))}
          aria-label={t('access.pageSize')}
          style={{ width: 120 }}
        />
      </Flex>
    </Card>
  );
}

/** The auditor's console: the tamper-evident trail of who did what, and a check that nobody rewrote it. */
export default function AuditPage() {
  const t = useT();
  return (
    <>
      <PageHeading title={t('console.audit.title')} description={t('console.audit.purpose')} />
      <Verification />
      <Entries />
    </>
  );
}

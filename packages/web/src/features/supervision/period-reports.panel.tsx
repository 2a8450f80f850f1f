import type { PeriodKind, PeriodReportView } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Segmented, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { errorText, formatDateTime, useLocale, useT } from '../../i18n';

const KINDS: PeriodKind[] = ['daily', 'weekly', 'monthly'];
/** Yesterday in China time (UTC+8): the day a daily report is usually asked for. */
const chinaYesterday = () => new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);

/** 报表: past period reports (日报/周报/月报) with their xlsx and PDF, and "generate now". */
export function PeriodReportsPanel() {
  const t = useT();
  const { locale } = useLocale();
  const client = useQueryClient();
  const [kind, setKind] = useState<PeriodKind>('daily');
  const [date, setDate] = useState(chinaYesterday);
  const list = useQuery({
    queryKey: ['period-reports'],
    queryFn: ({ signal }) => api.GET('/api/period-reports', { params: { query: { limit: 20 } }, signal }),
  });
  const generate = useMutation({
    mutationFn: () => api.POST('/api/period-reports', { body: { kind, date } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['period-reports'] }),
  });
  const columns: TableColumnsType<PeriodReportView> = [
    { title: t('periodReports.col.title'), key: 'title', render: (_, r) => r.title },
    {
      title: t('periodReports.col.origin'),
      key: 'origin',
      render: (_, r) => t(`periodReports.origin.${r.origin}`),
    },
    { title: t('periodReports.col.createdAt'), key: 'at', render: (_, r) => formatDateTime(r.createdAt) },
    {
      title: t('periodReports.col.files'),
      key: 'files',
      render: (_, r) => (
        // A download link, not a fetch: the browser saves the file under the name the server gives.
        <Flex gap={8}>
          <a href={`/api/period-reports/${r.id}/xlsx`} data-testid={`period-report-xlsx-${r.id}`} download>
            xlsx
          </a>
          <a href={`/api/period-reports/${r.id}/pdf`} data-testid={`period-report-pdf-${r.id}`} download>
            PDF
          </a>
        </Flex>
      ),
    },
  ];
  return (
    <Card size="small" title={t('periodReports.title')} data-testid="period-reports">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
        <Segmented
          value={kind}
          onChange={(v) => setKind(v)}
          options={KINDS.map((k) => ({ value: k, label: t(`periodReports.kind.${k}`) }))}
        />
        <Input
          aria-label={t('periodReports.date')}
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          style={{ width: 160 }}
        />
        <Button
          type="primary"
          loading={generate.isPending}
          onClick={() => generate.mutate()}
          data-testid="period-report-generate"
        >
          {t('periodReports.generate')}
        </Button>
        {generate.data && (
          <Typography.Text type="success">
            {t('periodReports.generated', { title: generate.data.title })}
          </Typography.Text>
        )}
      </Flex>
      {(list.isError || generate.isError) && (
        <Alert
          type="error"
          showIcon
          title={t('periodReports.loadError')}
          description={errorText(locale, list.error ?? generate.error)}
        />
      )}
      <Table
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.reports ?? []}
        loading={list.isLoading}
        pagination={false}
        locale={{ emptyText: t('periodReports.empty') }}
      />
    </Card>
  );
}

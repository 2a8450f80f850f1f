import type { TaskLeagueQuery, TaskLeagueRow } from '@fanzha/contracts';
import { Alert, Card, Flex, Segmented, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { errorText, formatDuration, useLocale, useT } from '../../i18n';
import { MONO_STYLE } from '../../ui';
import { formatShare } from './warning-effect';
import { useTaskLeague } from './use-task-queue';

/** 单位排行: per county, bank or operator, the tasks due this week or month and how they were done. */
export function TaskLeaguePanel() {
  const t = useT();
  const { locale } = useLocale();
  const [q, setQ] = useState<TaskLeagueQuery>({ unitKind: 'county', period: 'week' });
  const league = useTaskLeague(q);
  const columns: TableColumnsType<TaskLeagueRow> = [
    {
      title: t('league.col.unit'),
      key: 'unit',
      render: (_, r) => <span style={MONO_STYLE}>{r.unitCode}</span>,
    },
    { title: t('league.col.due'), key: 'due', align: 'right', render: (_, r) => r.due },
    { title: t('league.col.onTime'), key: 'onTime', align: 'right', render: (_, r) => r.doneOnTime },
    {
      title: t('league.col.rate'),
      key: 'rate',
      align: 'right',
      render: (_, r) => (r.onTimeRate === null ? '—' : formatShare(r.onTimeRate)),
    },
    {
      title: t('league.col.median'),
      key: 'median',
      align: 'right',
      render: (_, r) => (r.medianDoneS === null ? '—' : formatDuration(Math.round(r.medianDoneS), t)),
    },
    { title: t('league.col.overdue'), key: 'overdue', align: 'right', render: (_, r) => r.overdueOpen },
  ];
  return (
    <Card
      size="small"
      title={t('league.title')}
      style={{ marginTop: 12 }}
      data-testid="task-league"
      extra={
        <Flex gap={8}>
          <Segmented
            size="small"
            value={q.unitKind}
            onChange={(unitKind) => setQ({ ...q, unitKind })}
            options={(['county', 'bank', 'operator'] as const).map((k) => ({
              value: k,
              label: t(`taskQueue.unit.${k}`),
            }))}
          />
          <Segmented
            size="small"
            value={q.period}
            onChange={(period) => setQ({ ...q, period: period as TaskLeagueQuery['period'] })}
            options={[
              { value: 'week', label: t('league.week') },
              { value: 'month', label: t('league.month') },
            ]}
          />
        </Flex>
      }
      styles={{ body: { padding: 0 } }}
    >
      {league.error && <Alert type="error" showIcon title={errorText(locale, league.error)} />}
      <Table
        size="small"
        rowKey="unitCode"
        columns={columns}
        dataSource={league.data?.units ?? []}
        pagination={false}
        loading={league.isLoading}
        locale={{ emptyText: t('league.empty') }}
      />
    </Card>
  );
}

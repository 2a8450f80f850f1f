import type { ClusterStatus } from '@fanzha/contracts';
import { clusterStatuses } from '@fanzha/domain';
import { Alert, Card, Flex, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorText, useLocale, useT } from '../../i18n';
import { LiveBadge } from '../../live';
import { MONO_STYLE, PageHeading, formatCentreTime, formatYuan } from '../../ui';
import type { ClusterRow } from './cluster-cache';
import { countyName } from '../county/county-queue';
import { clusterName } from './cluster-dialogs';
import { useClusterStream, useClusters } from './use-analysis';

const STATUS_COLOUR: Record<ClusterStatus, string> = {
  open: 'blue',
  confirmed: 'green',
  handed_off: 'purple',
  merged: 'default',
};

export function ClusterStatusTag({ status }: { status: ClusterStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLOUR[status]} data-testid="cluster-status" data-status={status}>
      {t(`analysis.status.${status}`)}
    </Tag>
  );
}

/** The clusters, the latest changed first, kept live from the stream. */
export function ClusterList() {
  const t = useT();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const [status, setStatus] = useState<ClusterStatus | undefined>(undefined);
  const clusters = useClusters({ status });
  useClusterStream();

  return (
    <>
      <PageHeading
        title={t('console.analysis.title')}
        description={t('console.analysis.purpose')}
        extra={
          <Flex gap={12} align="center">
            <Link to="/analysis/appeals" data-testid="appeals-link">
              {t('appeals.title')}
            </Link>
            <LiveBadge />
          </Flex>
        }
      />
      {clusters.isError && (
        <Alert
          type="error"
          showIcon
          title={t('analysis.clusters.loadError')}
          description={errorText(locale, clusters.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Card
        size="small"
        title={t('analysis.clusters')}
        extra={
          <Flex gap={12} align="center">
            <Select<ClusterStatus | 'all'>
              aria-label={t('analysis.clusters.filter')}
              value={status ?? 'all'}
              onChange={(v) => setStatus(v === 'all' ? undefined : v)}
              style={{ width: 140 }}
              options={[
                { value: 'all', label: t('analysis.clusters.all') },
                ...clusterStatuses.map((s) => ({ value: s, label: t(`analysis.status.${s}`) })),
              ]}
            />
          </Flex>
        }
      >
        <Table<ClusterRow>
          size="small"
          rowKey="id"
          dataSource={clusters.data?.clusters ?? []}
          loading={clusters.isPending}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          locale={{ emptyText: t('analysis.clusters.empty') }}
          data-testid="cluster-list"
          onRow={(c) =>
            ({
              'data-testid': `cluster-row-${c.id}`,
              'data-reports': c.reportCount,
              style: { cursor: 'pointer' },
              onClick: () => void navigate(`clusters/${c.id}`),
            }) as object
          }
          columns={[
            {
              title: t('analysis.col.cluster'),
              key: 'cluster',
              render: (_, c) => (
                <Link to={`clusters/${c.id}`} style={MONO_STYLE} data-testid={`cluster-open-${c.id}`}>
                  {clusterName(c.id)}
                </Link>
              ),
            },
            {
              title: t('analysis.col.status'),
              key: 'status',
              render: (_, c) => (
                <Flex gap={4}>
                  <ClusterStatusTag status={c.status} />
                  {c.alertedAt && <Tag color="red">{t('analysis.history.action.alerted')}</Tag>}
                </Flex>
              ),
            },
            { title: t('analysis.col.reports'), dataIndex: 'reportCount', align: 'right', width: 90 },
            // The figures as of the list's last load (a cluster told by the stream since keeps its last ones).
            {
              title: t('analysis.col.victims'),
              key: 'victims',
              align: 'right',
              render: (_, c) => <span data-testid="cluster-victims">{c.figures?.victimCount ?? '—'}</span>,
            },
            {
              title: t('analysis.col.loss'),
              key: 'loss',
              align: 'right',
              render: (_, c) => (
                <span style={MONO_STYLE} data-testid="cluster-loss">
                  {c.figures ? formatYuan(c.figures.lossFen) : '—'}
                </span>
              ),
            },
            {
              title: t('analysis.col.counties'),
              key: 'counties',
              align: 'right',
              render: (_, c) => c.figures?.countyCount ?? '—',
            },
            {
              title: t('analysis.col.span'),
              key: 'span',
              render: (_, c) =>
                c.figures?.firstReportedAt && c.figures.lastReportedAt ? (
                  <span style={MONO_STYLE}>
                    {formatCentreTime(c.figures.firstReportedAt)} –{' '}
                    {formatCentreTime(c.figures.lastReportedAt)}
                  </span>
                ) : (
                  '—'
                ),
            },
            {
              title: t('analysis.dialog.handOff.unit'),
              key: 'handOff',
              render: (_, c) =>
                c.handOff
                  ? `${c.handOff.unitKind === 'centre' ? t('analysis.dialog.handOff.centre') : countyName(c.handOff.unitCode)} · ${formatCentreTime(c.handOff.dueAt)}`
                  : '—',
            },
            {
              title: t('analysis.col.updated'),
              key: 'updated',
              render: (_, c) => <span style={MONO_STYLE}>{formatCentreTime(c.updatedAt)}</span>,
            },
          ]}
        />
      </Card>
    </>
  );
}

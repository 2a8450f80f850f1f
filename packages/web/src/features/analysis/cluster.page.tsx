import type { ClusterDetail, ClusterEventView } from '@fanzha/contracts';
import { fraudTypes } from '@fanzha/domain';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Result,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import '../../charts/analysis-core';
import { EChart } from '../../charts/echart';
import { errorText, hasMessage, useLocale, useT } from '../../i18n';
import { LiveBadge } from '../../live';
import { MONO_STYLE, PageHeading, formatCentreTime, formatYuan } from '../../ui';
import { countyName } from '../county/county-queue';
import type { ClusterReportView, ReportLinkView } from './analysis-types';
import { ClusterDialog, clusterName, type DialogState } from './cluster-dialogs';
import { ClusterStatusTag } from './cluster-list';
import { byEvidenceOrder, proposeLeaving } from './evidence';
import { linkChartOption } from './link-chart';
import { MoneyView } from './money-view';
import { timelineOption } from './timeline';
import { useCluster, useClusterStream, useMoneyTrace } from './use-analysis';

/** One cluster (团伙): its profile, link chart, evidence, money, timeline and history, and the decisions on it. */
export function ClusterPage() {
  const { id = '' } = useParams();
  const t = useT();
  const { locale } = useLocale();
  const cluster = useCluster(id);
  useClusterStream();
  const [dialog, setDialog] = useState<DialogState | null>(null);

  if (cluster.isPending) return <Spin />;
  if (cluster.isError)
    return (
      <Result
        status="warning"
        title={t('analysis.cluster.loadError')}
        subTitle={errorText(locale, cluster.error)}
        extra={<Link to="/analysis">{t('analysis.cluster.back')}</Link>}
      />
    );
  const detail = cluster.data;
  const { status } = detail.cluster;
  const isDecidable = status === 'open' || status === 'confirmed';

  return (
    <div data-testid="cluster-page" data-status={status} data-reports={detail.cluster.reportCount}>
      <PageHeading
        title={t('analysis.cluster.title', { name: clusterName(id) })}
        extra={
          <Flex gap={8} align="center" wrap>
            <LiveBadge />
            <ClusterStatusTag status={status} />
            {status === 'open' && (
              <Button
                type="primary"
                onClick={() => setDialog({ kind: 'confirm' })}
                data-testid="cluster-confirm"
              >
                {t('analysis.action.confirm')}
              </Button>
            )}
            {isDecidable && (
              <>
                <Button onClick={() => setDialog({ kind: 'merge' })} data-testid="cluster-merge">
                  {t('analysis.action.merge')}
                </Button>
                <Button onClick={() => setDialog({ kind: 'hand-off' })} data-testid="cluster-hand-off">
                  {t('analysis.action.handOff')}
                </Button>
              </>
            )}
          </Flex>
        }
      />
      <Link to="/analysis" data-testid="cluster-back">
        {t('analysis.cluster.back')}
      </Link>
      {detail.cluster.mergedInto && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          title={
            <>
              {t('analysis.merged.into')}{' '}
              <Link to={`/analysis/clusters/${detail.cluster.mergedInto}`}>
                {clusterName(detail.cluster.mergedInto)}
              </Link>
            </>
          }
        />
      )}
      <Profile detail={detail} />
      <Tabs
        style={{ marginTop: 12 }}
        items={[
          {
            key: 'links',
            label: t('analysis.tab.links'),
            children: <LinksTab detail={detail} />,
          },
          {
            key: 'evidence',
            label: <span data-testid="tab-evidence">{t('analysis.tab.evidence')}</span>,
            children: (
              <EvidenceTab
                detail={detail}
                onSplit={
                  isDecidable
                    ? (link) =>
                        setDialog({
                          kind: 'split',
                          leaving: [proposeLeaving(detail.links, link)],
                          pair: [link.a, link.b],
                        })
                    : undefined
                }
              />
            ),
          },
          {
            key: 'money',
            label: <span data-testid="tab-money">{t('analysis.tab.money')}</span>,
            children: <ClusterMoney detail={detail} />,
          },
          {
            key: 'timeline',
            label: <span data-testid="tab-timeline">{t('analysis.tab.timeline')}</span>,
            children: <TimelineTab detail={detail} />,
          },
          {
            key: 'history',
            label: <span data-testid="tab-history">{t('analysis.tab.history')}</span>,
            children: <HistoryTab history={detail.history} />,
          },
        ]}
      />
      {dialog && <ClusterDialog detail={detail} state={dialog} onClose={() => setDialog(null)} />}
    </div>
  );
}

const useFraudTypeName = () => {
  const { locale } = useLocale();
  return (code: string | null) => {
    if (!code) return '—';
    const f = fraudTypes.find((x) => x.code === code);
    return f ? (locale === 'en-US' ? f.nameEn : f.nameZh) : code;
  };
};

function Profile({ detail }: { detail: ClusterDetail }) {
  const t = useT();
  const typeName = useFraudTypeName();
  const p = detail.profile;
  const span =
    p.firstReportedAt && p.lastReportedAt
      ? `${formatCentreTime(p.firstReportedAt)} – ${formatCentreTime(p.lastReportedAt)}`
      : '—';
  return (
    <Card size="small" title={t('analysis.profile')} style={{ marginTop: 12 }} data-testid="cluster-profile">
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 4 }}
        items={[
          {
            key: 'reports',
            label: t('analysis.profile.reports'),
            children: <span data-testid="profile-reports">{p.reportCount}</span>,
          },
          { key: 'victims', label: t('analysis.profile.victims'), children: p.victimCount },
          {
            key: 'loss',
            label: t('analysis.profile.loss'),
            children: <span style={MONO_STYLE}>{formatYuan(p.lossFen)}</span>,
          },
          { key: 'span', label: t('analysis.profile.span'), children: span },
          {
            key: 'counties',
            label: t('analysis.profile.counties'),
            children: p.counties.map((c) => `${countyName(c.code)} ${c.reports}`).join('、') || '—',
          },
          {
            key: 'types',
            label: t('analysis.profile.fraudTypes'),
            children: p.fraudTypes.map((f) => `${typeName(f.code)} ${f.reports}`).join('、') || '—',
          },
          {
            key: 'indicators',
            label: t('analysis.profile.indicators'),
            children: (
              <Flex gap={4} wrap>
                {p.sharedIndicators.map((i) => (
                  <Tag key={`${i.kind}:${i.value}`}>
                    {t(`analysis.evidence.${i.kind}`)} {i.value} ×{i.reports}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          {
            key: 'layers',
            label: t('analysis.profile.accountsByLayer'),
            children:
              p.accountsByLayer
                .map((l) =>
                  t('analysis.profile.layerCount', {
                    layer: t('analysis.money.layer', { n: l.layer }),
                    count: l.accounts.length,
                  }),
                )
                .join('、') || '—',
          },
        ]}
      />
    </Card>
  );
}

function LinksTab({ detail }: { detail: ClusterDetail }) {
  const t = useT();
  const typeName = useFraudTypeName();
  const option = useMemo(
    () =>
      linkChartOption(detail.reports, detail.links, {
        kind: (k) => t(`analysis.node.${k}`),
        evidence: (k) =>
          t(
            hasMessage(`analysis.evidence.${k}`)
              ? (`analysis.evidence.${k}` as 'analysis.evidence.phone')
              : 'analysis.col.evidence',
          ),
        amount: formatYuan,
      }),
    [detail, t],
  );
  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <EChart
          option={option}
          renderer="svg"
          label={t('analysis.linkChart.label')}
          testId="link-chart"
          style={{ height: 460 }}
        />
      </Card>
      <Card size="small" title={t('analysis.reportsTable')}>
        <Table<ClusterReportView>
          size="small"
          rowKey="id"
          dataSource={detail.reports}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          onRow={(r) => ({ 'data-testid': `cluster-report-${r.number}` }) as object}
          columns={[
            {
              title: t('analysis.col.report'),
              key: 'number',
              render: (_, r) => (
                <Link to={`/reports/${r.id}`} style={MONO_STYLE}>
                  {r.number}
                </Link>
              ),
            },
            {
              title: t('analysis.col.reportedAt'),
              key: 'at',
              render: (_, r) => formatCentreTime(r.reportedAt),
            },
            { title: t('analysis.col.county'), key: 'county', render: (_, r) => countyName(r.countyCode) },
            { title: t('analysis.col.fraudType'), key: 'type', render: (_, r) => typeName(r.fraudType) },
            {
              title: t('analysis.col.loss'),
              key: 'loss',
              align: 'right',
              render: (_, r) => <span style={MONO_STYLE}>{formatYuan(r.lossFen)}</span>,
            },
            {
              title: t('analysis.col.actions'),
              key: 'money',
              render: (_, r) => (
                <Link to={`/analysis/reports/${r.id}`} data-testid={`report-money-${r.number}`}>
                  {t('analysis.money.perReport')}
                </Link>
              ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}

function EvidenceTab({
  detail,
  onSplit,
}: {
  detail: ClusterDetail;
  onSplit: ((link: ReportLinkView) => void) | undefined;
}) {
  const t = useT();
  const numberOf = new Map(detail.reports.map((r) => [r.id, r.number]));
  const links = [...detail.links].sort(byEvidenceOrder);
  const rowName = (l: ReportLinkView) => `${numberOf.get(l.a) ?? l.a}-${numberOf.get(l.b) ?? l.b}-${l.kind}`;
  return (
    <Table<ReportLinkView>
      size="small"
      rowKey={(l) => `${l.a}|${l.b}|${l.kind}|${l.value}`}
      dataSource={links}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{ emptyText: t('analysis.evidence.empty') }}
      data-testid="evidence-table"
      onRow={(l) => ({ 'data-testid': `link-row-${rowName(l)}`, 'data-status': l.status }) as object}
      columns={[
        {
          title: t('analysis.col.link'),
          key: 'pair',
          render: (_, l) => (
            <span style={MONO_STYLE}>
              {numberOf.get(l.a) ?? l.a.slice(0, 8)} ↔ {numberOf.get(l.b) ?? l.b.slice(0, 8)}
            </span>
          ),
        },
        {
          title: t('analysis.col.evidence'),
          key: 'evidence',
          render: (_, l) => (
            <Flex gap={4} align="center">
              <Tag>{t(`analysis.evidence.${l.kind}`)}</Tag>
              <span style={MONO_STYLE}>{l.value}</span>
            </Flex>
          ),
        },
        {
          title: t('analysis.col.linkStatus'),
          key: 'status',
          render: (_, l) => (
            <Tag color={l.status === 'active' ? 'blue' : 'default'}>
              {t(`analysis.link.status.${l.status}`)}
            </Tag>
          ),
        },
        { title: t('analysis.col.linkedAt'), key: 'at', render: (_, l) => formatCentreTime(l.linkedAt) },
        {
          title: t('analysis.col.actions'),
          key: 'actions',
          render: (_, l) =>
            onSplit && l.status === 'active' ? (
              <Button size="small" danger onClick={() => onSplit(l)} data-testid={`link-split-${rowName(l)}`}>
                {t('analysis.action.split')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}

function ClusterMoney({ detail }: { detail: ClusterDetail }) {
  const reportIds = useMemo(() => detail.reports.map((r) => r.id), [detail.reports]);
  const numbers = useMemo(() => new Map(detail.reports.map((r) => [r.id, r.number])), [detail.reports]);
  return <MoneyView target={{ kind: 'cluster', reportIds }} reportNumbers={numbers} />;
}

function TimelineTab({ detail }: { detail: ClusterDetail }) {
  const t = useT();
  const reportIds = useMemo(() => detail.reports.map((r) => r.id), [detail.reports]);
  const trace = useMoneyTrace({ kind: 'cluster', reportIds }, 'fifo', 5);
  const flows = trace.data?.flows;
  const option = useMemo(
    () =>
      timelineOption(detail.reports, flows ?? [], {
        reports: t('analysis.timeline.reports'),
        layer: (n) => t('analysis.money.layer', { n }),
        amount: formatYuan,
        time: (iso) => formatCentreTime(iso),
      }),
    [detail.reports, flows, t],
  );
  return (
    <Card size="small" loading={trace.isPending}>
      <EChart
        option={option}
        renderer="svg"
        label={t('analysis.timeline.label')}
        testId="cluster-timeline"
        style={{ height: 320 }}
      />
    </Card>
  );
}

function HistoryTab({ history }: { history: readonly ClusterEventView[] }) {
  const t = useT();
  if (history.length === 0) return <Empty description={t('analysis.history.empty')} />;
  return (
    <Timeline
      data-testid="cluster-history"
      items={[...history]
        .sort((a, b) => b.at.localeCompare(a.at))
        .map((e) => ({
          key: e.id,
          color:
            e.kind === 'split' || e.kind === 'link_severed'
              ? 'red'
              : e.kind === 'confirmed'
                ? 'green'
                : 'blue',
          content: (
            <div data-testid={`history-${e.kind}`}>
              <Typography.Text strong>{t(`analysis.history.action.${e.kind}`)}</Typography.Text>{' '}
              <Typography.Text type="secondary" style={MONO_STYLE}>
                {formatCentreTime(e.at)}
              </Typography.Text>{' '}
              <Typography.Text type="secondary">
                {t('analysis.history.by')} {e.by ?? t('analysis.history.linker')}
              </Typography.Text>
              {e.reason && <Typography.Paragraph style={{ margin: 0 }}>{e.reason}</Typography.Paragraph>}
            </div>
          ),
        }))}
    />
  );
}

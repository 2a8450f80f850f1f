import type { CountyTaskView, FundDecisionView } from '@fanzha/contracts';
import {
  Alert,
  Badge,
  Card,
  Col,
  Flex,
  Row,
  Statistic,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { errorText, useLocale, useT } from '../../i18n';
import { LiveBadge, useCountyTaskStream, type CountyTaskFilter } from '../../live';
import { MONO_STYLE, PageHeading, TEXT_COLOURS, formatCentreTime, formatYuan, useNow } from '../../ui';
import { AlertList } from '../alerts/alert-list';
import { useOpenAlerts } from '../alerts/use-alerts';
import { countyName } from '../county/county-queue';
import { CountyTaskStatusTag } from '../county/task-status';
import { useCountyTasks } from '../county/use-county-tasks';
import { DecisionActions, ACCEPT_THRESHOLDS, Countdown, RejectDialog, useFundDecisions } from '../../case';
import { overdueReturns, pendingProposals } from './supervision';
import { useFundDecisionStream } from './use-supervision';
import { PeriodReportsPanel } from './period-reports.panel';
import { WarningEffectPanel } from './warning-effect.panel';
import { TaskLeaguePanel } from './task-league.panel';
import { TaskQueuePanel } from './task-queue.panel';

const OVERDUE_TASKS: CountyTaskFilter = {
  statuses: ['issued', 'accepted', 'contacted'],
  isOverdueOnly: true,
};

const reportLink = (reportId: string, text: ReactNode, testId?: string) => (
  <Link to={`/reports/${reportId}`} style={MONO_STYLE} data-testid={testId}>
    {text}
  </Link>
);

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          <Badge count={count} showZero color={count ? TEXT_COLOURS.danger : TEXT_COLOURS.muted} />
          {title}
        </Flex>
      }
      styles={{ body: { padding: 0 } }}
    >
      {children}
    </Card>
  );
}

/** 指令督办: what is late or waiting for a second approver, across the province. */
export default function TasksPage() {
  const t = useT();
  const { locale } = useLocale();
  const now = useNow(5000);
  const decisions = useFundDecisions(['proposed', 'approved']);
  const tasks = useCountyTasks(OVERDUE_TASKS);
  const alerts = useOpenAlerts();
  useCountyTaskStream();
  useFundDecisionStream();
  const [rejecting, setRejecting] = useState<FundDecisionView | null>(null);

  const proposals = pendingProposals(decisions.data?.decisions ?? []);
  const lateReturns = overdueReturns(decisions.data?.decisions ?? [], now);
  const lateTasks = tasks.data?.tasks ?? [];
  const openAlerts = alerts.data?.alerts ?? [];

  const decisionColumns: TableColumnsType<FundDecisionView> = [
    {
      title: t('decision.col.kind'),
      key: 'kind',
      width: 90,
      render: (_, d) => (
        <Tag color={d.kind === 'return' ? 'purple' : 'default'}>{t(`decision.kind.${d.kind}`)}</Tag>
      ),
    },
    {
      title: t('decision.amount'),
      key: 'amount',
      align: 'right',
      width: 130,
      render: (_, d) => <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{formatYuan(d.amountFen)}</span>,
    },
    {
      title: t('decision.decisionNumber'),
      key: 'number',
      render: (_, d) => (
        <Flex vertical>
          <span>{d.decisionNumber}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: d.reason }}>
            {d.reason}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('decision.col.proposed'),
      key: 'proposed',
      width: 170,
      render: (_, d) => (
        <Flex vertical>
          <span>{d.proposedBy}</span>
          <Typography.Text type="secondary" style={{ ...MONO_STYLE, fontSize: 12 }}>
            {formatCentreTime(d.proposedAt)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: '',
      key: 'report',
      width: 90,
      render: (_, d) => reportLink(d.reportId, d.reportNumber || t('supervision.openReport')),
    },
    {
      title: '',
      key: 'actions',
      width: 200,
      // Always in view: on a narrow screen the other columns scroll under it, never the buttons away.
      fixed: 'right',
      render: (_, d) => <DecisionActions decision={d} onReject={setRejecting} />,
    },
  ];

  const returnColumns: TableColumnsType<FundDecisionView> = [
    decisionColumns[1] ?? {},
    decisionColumns[2] ?? {},
    {
      title: t('decision.col.approvedAt'),
      key: 'approved',
      width: 150,
      render: (_, d) => <span style={MONO_STYLE}>{formatCentreTime(d.decidedAt)}</span>,
    },
    {
      title: t('decision.col.due'),
      key: 'due',
      width: 190,
      render: (_, d) => (d.dueAt ? <Countdown deadline={d.dueAt} /> : '—'),
    },
    {
      title: '',
      key: 'report',
      width: 90,
      render: (_, d) => reportLink(d.reportId, d.reportNumber || t('supervision.openReport')),
    },
  ];

  const taskColumns: TableColumnsType<CountyTaskView> = [
    {
      title: t('county.col.report'),
      key: 'report',
      width: 180,
      render: (_, r) => reportLink(r.reportId, r.reportNumber, `supervision-task-${r.reportNumber}`),
    },
    {
      title: t('county.col.county'),
      key: 'county',
      render: (_, r) => countyName(r.countyCode, r.countyName),
    },
    {
      title: t('county.col.status'),
      key: 'status',
      width: 170,
      render: (_, r) => <CountyTaskStatusTag status={r.status} isOverdue />,
    },
    {
      title: t('county.col.deadlines'),
      key: 'due',
      width: 190,
      render: (_, r) =>
        r.status === 'issued' ? (
          <Countdown deadline={r.acceptDueAt} thresholds={ACCEPT_THRESHOLDS} />
        ) : (
          <Countdown deadline={r.dueAt} />
        ),
    },
  ];

  const error = decisions.error ?? tasks.error ?? alerts.error;
  return (
    <>
      <PageHeading
        title={t('console.tasks.title')}
        description={t('supervision.description')}
        extra={<LiveBadge />}
      />
      {error && (
        <Alert
          type="error"
          showIcon
          title={t('supervision.loadError')}
          description={errorText(locale, error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex gap={48}>
          <Statistic title={t('supervision.stat.proposals')} value={proposals.length} />
          <Statistic
            title={t('supervision.stat.lateTasks')}
            value={lateTasks.length}
            styles={{ content: { color: lateTasks.length ? '#cf1322' : undefined } }}
          />
          <Statistic
            title={t('supervision.stat.lateReturns')}
            value={lateReturns.length}
            styles={{ content: { color: lateReturns.length ? '#cf1322' : undefined } }}
          />
          <Statistic title={t('supervision.stat.alerts')} value={openAlerts.length} />
        </Flex>
      </Card>
      <Row gutter={[12, 12]}>
        {/* Side by side only on a wide screen; on a 1366 or 1600 px workstation the alerts go below. */}
        <Col xs={24} xxl={15}>
          <Flex vertical gap={12}>
            <Section title={t('supervision.proposals')} count={proposals.length}>
              <Table
                size="small"
                rowKey="id"
                dataSource={proposals}
                columns={decisionColumns}
                scroll={{ x: 'max-content' }}
                loading={decisions.isPending}
                pagination={false}
                locale={{ emptyText: t('supervision.proposals.empty') }}
                data-testid="supervision-proposals"
              />
            </Section>
            <Section title={t('supervision.lateTasks')} count={lateTasks.length}>
              <Table
                size="small"
                rowKey="id"
                dataSource={lateTasks}
                columns={taskColumns}
                loading={tasks.isPending}
                pagination={false}
                locale={{ emptyText: t('supervision.lateTasks.empty') }}
                data-testid="supervision-late-tasks"
              />
            </Section>
            <Section title={t('supervision.lateReturns')} count={lateReturns.length}>
              <Table
                size="small"
                rowKey="id"
                dataSource={lateReturns}
                columns={returnColumns}
                pagination={false}
                locale={{ emptyText: t('supervision.lateReturns.empty') }}
                data-testid="supervision-late-returns"
              />
            </Section>
          </Flex>
        </Col>
        <Col xs={24} xxl={9}>
          <Section title={t('supervision.alerts')} count={openAlerts.length}>
            <div style={{ padding: '0 12px' }}>
              <AlertList alerts={openAlerts} />
            </div>
          </Section>
        </Col>
      </Row>
      {/* Below the work waiting for a decision, which stays first on a 1366 × 768 workstation. */}
      <div style={{ marginTop: 12 }}>
        <TaskQueuePanel />
        <TaskLeaguePanel />
        <WarningEffectPanel />
      </div>
      <div style={{ marginTop: 12 }}>
        <PeriodReportsPanel />
      </div>
      {rejecting && <RejectDialog decision={rejecting} onClose={() => setRejecting(null)} />}
    </>
  );
}

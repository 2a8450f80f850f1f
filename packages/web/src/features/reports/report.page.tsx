import { ApartmentOutlined, CheckCircleFilled, ClockCircleOutlined } from '@ant-design/icons';
import type { ReportView, StopPaymentView } from '@fanzha/contracts';
import { fraudTypes } from '@fanzha/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Result,
  Row,
  Spin,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../../api';
import { errorText, useLocale, useT, type MessageKey } from '../../i18n';
import { LiveBadge, useLiveStream, useStopPaymentStream, type StopPaymentFilter } from '../../live';
import { useMe } from '../../session';
import {
  MONO_STYLE,
  PageHeading,
  formatCentreTime,
  formatClockTime,
  formatYuan,
  secondsBetween,
  TEXT_COLOURS,
} from '../../ui';
import { stopPaymentsQuery } from '../stop-payment/use-desk';
import { canApprove, canRestrict } from '../../case';
import { CountyTaskCard } from './county-task-card';
import { buildTrail, clockMilestones, trailDepth, trailTotals } from './money-trail';
import { ReportMoney } from './report-money';
import { MeasureDialog, type MeasureAction } from './freeze-dialogs';
import { TrailTree } from './trail-tree';

const TARGET_S = 180;
const ALL_STATUSES: StopPaymentFilter['statuses'] = ['pending', 'sent', 'acknowledged', 'stopped', 'failed'];

const reportKey = (id: string) => ['/api/reports', id] as const;

function Milestones({ report, requests }: { report: ReportView; requests: StopPaymentView[] }) {
  const t = useT();
  const m = clockMilestones(report.times, requests);
  const steps: [MessageKey, string | null][] = [
    ['report.clock.answered', m.callAnsweredAt],
    ['report.clock.pushed', m.firstAccountPushedAt],
    ['report.clock.sent', m.firstInstructionSentAt],
    ['report.clock.result', m.firstStopResultAt],
  ];
  return (
    <Row gutter={0} data-testid="report-clock">
      {steps.map(([label, at], i) => {
        const seconds = at ? secondsBetween(m.callAnsweredAt, at) : null;
        const color =
          seconds === null ? TEXT_COLOURS.muted : seconds <= TARGET_S ? TEXT_COLOURS.ok : TEXT_COLOURS.danger;
        return (
          <Col
            key={label}
            span={6}
            style={{ borderInlineStart: i ? '1px solid #f0f0f0' : undefined, padding: '4px 16px' }}
          >
            <Flex vertical gap={2}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {at ? <CheckCircleFilled style={{ color }} /> : <ClockCircleOutlined />} {t(label)}
              </Typography.Text>
              <span
                style={{ ...MONO_STYLE, fontSize: 22, fontWeight: 600, color }}
                data-testid={`report-clock-${i}`}
              >
                {seconds === null ? '—' : i === 0 ? '0 s' : `+${seconds} s`}
              </span>
              <Typography.Text type="secondary" style={{ ...MONO_STYLE, fontSize: 12 }}>
                {formatClockTime(at)}
              </Typography.Text>
            </Flex>
          </Col>
        );
      })}
    </Row>
  );
}

/** The report's money figures follow its requests: reload it once after a burst of changes. */
function useReportFollowsTrail(id: string) {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useLiveStream((message) => {
    if (message?.type !== 'stop-payment' || message.request.reportId !== id) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void client.invalidateQueries({ queryKey: reportKey(id) }), 400);
  });
}

/** The first victim account of the report, to prefill a return; never a masked one. */
const victimAccountOf = (r: ReportView) =>
  r.transfers.map((x) => x.victimAccount).find((a): a is string => !!a && !a.includes('*')) ?? '';
/** The victim's name, the payee of a return; never a masked one. */
const victimNameOf = (r: ReportView) => (r.victim.name && !r.victim.name.includes('*') ? r.victim.name : '');

/**
 * One report: who, what, the three-minute clock, its money in separate figures, the county's task, and
 * the money trail with each account's legal timer and the actions allowed to the role — all live.
 */
export default function ReportPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const { id = '' } = useParams();
  const client = useQueryClient();
  const [action, setAction] = useState<MeasureAction | null>(null);
  const report = useQuery({
    queryKey: reportKey(id),
    queryFn: ({ signal }) => api.GET('/api/reports/{id}', { params: { path: { id } }, signal }),
  });
  const trail = useQuery(stopPaymentsQuery({ statuses: ALL_STATUSES, reportId: id }, 500));
  useStopPaymentStream((changed) => {
    if (changed.id === id) void client.invalidateQueries({ queryKey: reportKey(id) });
  });
  useReportFollowsTrail(id);

  useEffect(() => {
    if (report.data) document.title = `${report.data.number} · ${t('app.name')}`;
  }, [report.data, t]);

  const requests = useMemo(() => trail.data?.requests ?? [], [trail.data]);
  const tree = useMemo(() => buildTrail(requests), [requests]);
  const totals = trailTotals(requests);

  if (report.isPending)
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  if (report.isError)
    return (
      <Result
        status={report.error.message.includes('404') ? '404' : 'error'}
        title={t('report.loadError')}
        subTitle={errorText(locale, report.error)}
      />
    );
  const r = report.data;
  const fraudType = fraudTypes.find((f) => f.code === r.fraudType);
  const permissions = {
    canRestrict: canRestrict(me, r.owningCountyCode),
    canApprove: canApprove(me, r.owningCountyCode),
  };
  return (
    <>
      <PageHeading
        title={t('report.title', { number: r.number })}
        extra={
          <Flex gap={12} align="center">
            <LiveBadge />
            <Tag color={r.status === 'draft' ? 'orange' : 'blue'} data-testid="report-status">
              {t(`report.status.${r.status}`)}
            </Tag>
          </Flex>
        }
      />
      <Flex vertical gap={12}>
        <Card size="small" title={t('report.clock')}>
          <Milestones report={r} requests={requests} />
        </Card>
        <Row gutter={12}>
          <Col span={8}>
            <Card size="small" title={t('report.summary')} style={{ height: '100%' }}>
              {r.isMasked && (
                <Alert type="info" showIcon title={t('report.masked')} style={{ marginBottom: 8 }} />
              )}
              <Descriptions size="small" column={1} data-testid="report-summary">
                <Descriptions.Item label={t('intake.victim.name')}>{r.victim.name ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('intake.victim.idNumber')}>
                  <span style={MONO_STYLE}>{r.victim.idNumber ?? '—'}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('intake.victim.phone')}>
                  <span style={MONO_STYLE}>{r.victim.phone ?? '—'}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('intake.victim.county')}>
                  {r.victim.countyName ?? r.victim.countyCode ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('intake.fraudType')}>
                  {fraudType ? (locale === 'zh-CN' ? fraudType.nameZh : fraudType.nameEn) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('report.callAnswered')}>
                  <span style={MONO_STYLE}>{formatCentreTime(r.times.callAnsweredAt, true)}</span>
                </Descriptions.Item>
              </Descriptions>
              {r.narrative && (
                <Typography.Paragraph
                  type="secondary"
                  style={{ marginTop: 8, marginBottom: 0 }}
                  ellipsis={{ rows: 3, expandable: true }}
                >
                  {r.narrative}
                </Typography.Paragraph>
              )}
            </Card>
          </Col>
          <Col span={16}>
            <Flex vertical gap={12} style={{ height: '100%' }}>
              <ReportMoney report={r} nextLapseAt={totals.nextLapseAt} />
              <CountyTaskCard report={r} />
            </Flex>
          </Col>
        </Row>
        <Card
          size="small"
          title={
            <>
              <ApartmentOutlined /> {t('report.trail')}
            </>
          }
          extra={
            <Flex gap={24}>
              <Statistic
                title={t('report.trail.layers')}
                value={trailDepth(tree)}
                styles={{ content: { fontSize: 16 } }}
              />
              <Statistic
                title={t('report.trail.accounts')}
                value={totals.accounts}
                styles={{ content: { fontSize: 16 } }}
              />
              <Statistic
                title={t('report.trail.stopped')}
                value={formatYuan(totals.stoppedFen)}
                styles={{ content: { fontSize: 16, color: TEXT_COLOURS.ok } }}
              />
            </Flex>
          }
        >
          {tree.length === 0 ? (
            <Empty description={t('report.trail.empty')} />
          ) : (
            <TrailTree tree={tree} permissions={permissions} onAction={setAction} />
          )}
        </Card>
      </Flex>
      {action && (
        <MeasureDialog
          action={action}
          payee={{ account: victimAccountOf(r), name: victimNameOf(r) }}
          onClose={(done) => {
            if (done) void message.success(t(`restriction.done.${action.kind}`));
            setAction(null);
          }}
        />
      )}
    </>
  );
}

import { CheckOutlined, FormOutlined, PhoneOutlined, SwapOutlined } from '@ant-design/icons';
import type { CountyTaskView } from '@fanzha/contracts';
import { fraudTypes } from '@fanzha/domain';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Flex,
  Segmented,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { errorText, useLocale, useT } from '../../i18n';
import { useCountyTaskStream, type CountyTaskFilter } from '../../live';
import { useMe } from '../../session';
import { MONO_STYLE, PageHeading, formatCentreTime, formatYuan, useNow } from '../../ui';
import { ACCEPT_THRESHOLDS, ANSWER_THRESHOLDS, Countdown } from '../../case';
import { TASK_VIEWS, countyName, isOverdueAt, type TaskView } from './county-queue';
import { QueueFilters } from './queue-filters';
import { TaskDialog, type TaskDialogKind } from './task-dialogs';
import { CountyTaskStatusTag } from './task-status';
import { useCountyTasks, useTaskStep } from './use-county-tasks';
import { CampaignsPanel } from '../publicity/campaigns.panel';

function Deadlines({ task }: { task: CountyTaskView }) {
  const t = useT();
  const n = task.reportNumber;
  if (task.status === 'answered')
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('county.answeredAt', { at: formatCentreTime(task.answeredAt) })}
      </Typography.Text>
    );
  if (task.status === 'transferred')
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('county.transferredTo', { county: countyName(task.transferredToCounty) })}
      </Typography.Text>
    );
  return (
    <Flex vertical gap={2}>
      {task.status === 'issued' && (
        <span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('county.deadline.accept')}{' '}
          </Typography.Text>
          <Countdown
            deadline={task.acceptDueAt}
            thresholds={ACCEPT_THRESHOLDS}
            testId={`county-accept-due-${n}`}
          />
        </span>
      )}
      <span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('county.deadline.answer')}{' '}
        </Typography.Text>
        <Countdown deadline={task.dueAt} thresholds={ANSWER_THRESHOLDS} testId={`county-answer-due-${n}`} />
      </span>
    </Flex>
  );
}

/** 属地核查: the county's live task queue, each task accepted, the victim contacted, answered in time. */
export default function CountyPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const isSupervisor = me.role === 'supervisor';
  const now = useNow(5000);
  const [view, setView] = useState<TaskView>('live');
  const [county, setCounty] = useState<string | null>(null);
  const [isOverdueOnly, setOverdueOnly] = useState(false);
  const [dialog, setDialog] = useState<{ kind: TaskDialogKind; task: CountyTaskView } | null>(null);
  const filter: CountyTaskFilter = useMemo(
    () => ({
      statuses: TASK_VIEWS[view],
      ...(isSupervisor && county ? { county } : {}),
      ...(isOverdueOnly ? { isOverdueOnly } : {}),
    }),
    [view, county, isSupervisor, isOverdueOnly],
  );
  const tasks = useCountyTasks(filter);
  useCountyTaskStream();
  const step = useTaskStep();
  const rows = tasks.data?.tasks ?? [];
  const overdue = rows.filter((r) => isOverdueAt(r, now)).length;

  const accept = (task: CountyTaskView) =>
    step.mutate(
      { id: task.id, step: 'accept' },
      {
        onSuccess: () => void message.success(t('county.accepted', { number: task.reportNumber })),
        onError: (error) => void message.error(errorText(locale, error)),
      },
    );

  const columns: TableColumnsType<CountyTaskView> = [
    {
      title: t('county.col.report'),
      key: 'report',
      width: 190,
      render: (_, r) => {
        const type = fraudTypes.find((f) => f.code === r.fraudType);
        return (
          <Flex vertical>
            <Link
              to={`/reports/${r.reportId}`}
              style={MONO_STYLE}
              data-testid={`county-report-${r.reportNumber}`}
            >
              {r.reportNumber}
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {type ? (locale === 'zh-CN' ? type.nameZh : type.nameEn) : '—'}
            </Typography.Text>
          </Flex>
        );
      },
    },
    {
      title: t('county.col.county'),
      key: 'county',
      width: 150,
      render: (_, r) => countyName(r.countyCode, r.countyName),
    },
    {
      title: t('county.col.loss'),
      key: 'loss',
      align: 'right',
      width: 130,
      render: (_, r) => <span style={{ ...MONO_STYLE, fontWeight: 600 }}>{formatYuan(r.totalLossFen)}</span>,
    },
    {
      title: t('county.col.status'),
      key: 'status',
      width: 170,
      render: (_, r) => <CountyTaskStatusTag status={r.status} isOverdue={isOverdueAt(r, now)} />,
    },
    {
      title: t('county.col.issuedAt'),
      key: 'issuedAt',
      width: 150,
      render: (_, r) => <span style={MONO_STYLE}>{formatCentreTime(r.issuedAt)}</span>,
    },
    { title: t('county.col.deadlines'), key: 'due', width: 220, render: (_, r) => <Deadlines task={r} /> },
    {
      title: '',
      key: 'actions',
      render: (_, r) => {
        const n = r.reportNumber;
        return (
          <Flex gap={6} wrap>
            {r.status === 'issued' && (
              <Button
                type="primary"
                size="small"
                icon={<CheckOutlined />}
                loading={step.isPending && step.variables.id === r.id}
                onClick={() => accept(r)}
                data-testid={`county-accept-${n}`}
              >
                {t('county.accept')}
              </Button>
            )}
            {r.status === 'accepted' && (
              <Button
                size="small"
                icon={<PhoneOutlined />}
                onClick={() => setDialog({ kind: 'contact', task: r })}
                data-testid={`county-contact-${n}`}
              >
                {t('county.contact')}
              </Button>
            )}
            {(r.status === 'accepted' || r.status === 'contacted') && (
              <Button
                type="primary"
                size="small"
                icon={<FormOutlined />}
                onClick={() => setDialog({ kind: 'answer', task: r })}
                data-testid={`county-answer-${n}`}
              >
                {t('county.answer')}
              </Button>
            )}
            {(r.status === 'issued' || r.status === 'accepted' || r.status === 'contacted') && (
              <Button
                size="small"
                icon={<SwapOutlined />}
                onClick={() => setDialog({ kind: 'transfer', task: r })}
                data-testid={`county-transfer-${n}`}
              >
                {t('county.transfer')}
              </Button>
            )}
            {r.status === 'answered' && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.answer }}>
                {r.caseNumber ? `${t('county.caseNumber', { number: r.caseNumber })} · ` : ''}
                {r.answer}
              </Typography.Text>
            )}
            {r.status === 'transferred' && r.transferReason && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.transferReason}
              </Typography.Text>
            )}
          </Flex>
        );
      },
    },
  ];

  const rowProps = (r: CountyTaskView) =>
    ({
      'data-testid': `county-task-${r.reportNumber}`,
      'data-status': r.status,
      'data-overdue': String(isOverdueAt(r, now)),
    }) as HTMLAttributes<HTMLElement>;

  const scope = isSupervisor ? t('county.scope.all') : countyName(me.countyCode);
  return (
    <>
      <style>{`.county-overdue > td { background: #fff1f0 !important; }
        .county-overdue > td:first-child { box-shadow: inset 3px 0 0 #cf1322; }`}</style>
      <PageHeading
        title={`${t('console.county.title')} · ${scope}`}
        description={t('county.description')}
        extra={
          <QueueFilters
            isCountyPicker={isSupervisor}
            county={county}
            onCounty={setCounty}
            isOverdueOnly={isOverdueOnly}
            onOverdueOnly={setOverdueOnly}
            labels={{ county: t('county.filter.county'), overdue: t('county.filter.overdue') }}
            testIds={{ county: 'county-filter', overdue: 'county-overdue-only' }}
          />
        }
      />
      {tasks.isError && (
        <Alert
          type="error"
          showIcon
          title={t('county.loadError')}
          description={errorText(locale, tasks.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Card
        size="small"
        title={
          <Flex gap={12} align="center">
            <Segmented<TaskView>
              value={view}
              onChange={setView}
              options={(Object.keys(TASK_VIEWS) as TaskView[]).map((v) => ({
                value: v,
                label: <span data-testid={`county-view-${v}`}>{t(`county.view.${v}`)}</span>,
              }))}
            />
            <Badge count={rows.length} showZero color="#1f5fbf" />
            {overdue > 0 && (
              <Typography.Text type="danger" strong data-testid="county-overdue-count">
                {t('county.overdueCount', { n: overdue })}
              </Typography.Text>
            )}
          </Flex>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table
          size="small"
          rowKey="id"
          dataSource={rows}
          columns={columns}
          loading={tasks.isPending}
          // Paged: every row redraws each second (the deadlines), and a busy county holds hundreds.
          pagination={{ pageSize: 50, size: 'small', showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: t(`county.empty.${view}`) }}
          rowClassName={(r) => (isOverdueAt(r, now) ? 'county-overdue' : '')}
          onRow={rowProps}
          data-testid="county-tasks"
        />
      </Card>
      {/* The county's publicity campaigns (宣传任务), accepted and completed here. */}
      <div style={{ marginTop: 16 }}>
        <CampaignsPanel mode={isSupervisor ? 'centre' : 'county'} />
      </div>
      {dialog && (
        <TaskDialog
          kind={dialog.kind}
          task={dialog.task}
          onClose={(done) => {
            if (done) void message.success(t(`county.done.${dialog.kind}`));
            setDialog(null);
          }}
        />
      )}
    </>
  );
}

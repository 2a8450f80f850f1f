import type { CountyTaskView, ReportView } from '@fanzha/contracts';
import { Card, Descriptions, Empty, Typography } from 'antd';
import { useT } from '../../i18n';
import { useCountyTaskStream } from '../../live';
import { useMe } from '../../session';
import { MONO_STYLE, formatCentreTime } from '../../ui';
import { countyName } from '../county/county-queue';
import { CountyTaskStatusTag } from '../county/task-status';
import { useCountyTasks } from '../county/use-county-tasks';
import { ACCEPT_THRESHOLDS, Countdown } from '../../case';

const ALL = ['issued', 'accepted', 'contacted', 'answered', 'transferred'] as const;
/** County tasks are read by the county police and the supervisor; the others see the owning county only. */
const TASK_READERS = new Set(['county_police', 'supervisor']);

function TaskDetails({ task }: { task: CountyTaskView }) {
  const t = useT();
  const isLive = task.status === 'issued' || task.status === 'accepted' || task.status === 'contacted';
  return (
    <Descriptions size="small" column={2} data-testid="report-county-task" data-status={task.status}>
      <Descriptions.Item label={t('county.col.county')}>
        {countyName(task.countyCode, task.countyName)}
      </Descriptions.Item>
      <Descriptions.Item label={t('county.col.status')}>
        <CountyTaskStatusTag status={task.status} isOverdue={task.isOverdue} />
      </Descriptions.Item>
      <Descriptions.Item label={t('county.col.issuedAt')}>
        <span style={MONO_STYLE}>{formatCentreTime(task.issuedAt)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('county.deadline.accept')}>
        {task.status === 'issued' ? (
          <Countdown deadline={task.acceptDueAt} thresholds={ACCEPT_THRESHOLDS} />
        ) : (
          <span style={MONO_STYLE}>{t('county.acceptedAt', { at: formatCentreTime(task.acceptedAt) })}</span>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('county.deadline.answer')}>
        {isLive ? (
          <Countdown deadline={task.dueAt} />
        ) : (
          <span style={MONO_STYLE}>{formatCentreTime(task.answeredAt ?? task.transferredAt)}</span>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('county.answer.caseNumber')}>{task.caseNumber ?? '—'}</Descriptions.Item>
      {task.answer && (
        <Descriptions.Item label={t('county.answer.text')} span={2}>
          <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 2, expandable: true }}>
            {task.answer}
          </Typography.Paragraph>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** The hand-off to the county (属地推送): the task's status, county and deadlines, live. */
export function CountyTaskCard({ report }: { report: ReportView }) {
  const t = useT();
  const me = useMe();
  const canRead = TASK_READERS.has(me.role);
  const tasks = useCountyTasks({ statuses: ALL, reportId: report.id }, canRead && report.status !== 'draft');
  useCountyTaskStream();
  // The task in force: the latest one not handed on to another county.
  const list = tasks.data?.tasks ?? [];
  const task = list.find((x) => x.status !== 'transferred') ?? list[0];
  return (
    <Card
      size="small"
      title={t('report.countyTask')}
      extra={
        <Typography.Text type="secondary">
          {t('report.owningCounty', { county: countyName(report.owningCountyCode) })}
        </Typography.Text>
      }
      style={{ height: '100%' }}
    >
      {task ? (
        <TaskDetails task={task} />
      ) : (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            report.status === 'draft'
              ? t('report.countyTask.draft')
              : canRead && tasks.isPending
                ? t('app.loading')
                : t(`report.status.${report.status}`)
          }
        />
      )}
    </Card>
  );
}

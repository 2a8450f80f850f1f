import type { CountyTaskStatus } from '@fanzha/domain';
import { Tag } from 'antd';
import { useT } from '../../i18n';

const COLORS: Record<CountyTaskStatus, string> = {
  issued: 'orange',
  accepted: 'blue',
  contacted: 'geekblue',
  answered: 'green',
  transferred: 'default',
};

/** 待签收 / 已签收 / 已联系被害人 / 已反馈 / 已移交. */
export function CountyTaskStatusTag({
  status,
  isOverdue,
}: {
  status: CountyTaskStatus;
  isOverdue?: boolean;
}) {
  const t = useT();
  return (
    <>
      <Tag color={COLORS[status]} data-task-status={status} style={{ marginInlineEnd: isOverdue ? 4 : 0 }}>
        {t(`county.status.${status}`)}
      </Tag>
      {isOverdue && (
        <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="task-overdue">
          {t('county.overdue')}
        </Tag>
      )}
    </>
  );
}

import type { ReportView } from '@fanzha/contracts';
import { Card, Flex, Statistic, Typography } from 'antd';
import { useT } from '../../i18n';
import { TEXT_COLOURS, formatYuan } from '../../ui';
import { Countdown } from '../../case';

/**
 * The report's money in separate figures: lost, stopped, frozen, returned. Never summed: money stopped is
 * not money recovered. With the nearest lapse of an emergency stop still in force.
 */
export function ReportMoney({ report, nextLapseAt }: { report: ReportView; nextLapseAt: string | null }) {
  const t = useT();
  const figures = [
    { key: 'loss', label: t('report.loss'), fen: report.totalLossFen, color: undefined },
    { key: 'stopped', label: t('trail.stopped'), fen: report.money.stoppedFen, color: TEXT_COLOURS.ok },
    { key: 'frozen', label: t('trail.frozen'), fen: report.money.frozenFen, color: '#1f5fbf' },
    { key: 'returned', label: t('trail.returned'), fen: report.money.returnedFen, color: '#722ed1' },
  ];
  return (
    <Card size="small" title={t('report.money')} style={{ height: '100%' }}>
      <Flex gap={32} wrap align="flex-start">
        {figures.map((f) => (
          <div key={f.key} data-testid={`report-money-${f.key}`}>
            <Statistic
              title={f.label}
              value={formatYuan(f.fen)}
              styles={{ content: { fontSize: 20, color: f.fen > 0 ? f.color : undefined } }}
            />
          </div>
        ))}
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">{t('report.nextLapse')}</Typography.Text>
          {nextLapseAt ? (
            <Countdown deadline={nextLapseAt} size="large" testId="report-next-lapse" />
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 20 }}>
              —
            </Typography.Text>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}

import type { IndicatorRiskLevel, IndicatorStatus } from '@fanzha/domain';
import { Tag } from 'antd';
import { useT } from '../../i18n';

const STATUS_COLOUR: Record<IndicatorStatus, string> = {
  active: 'red',
  shared: 'gold',
  suspended: 'purple',
  not_fraud: 'green',
  merged: 'default',
};

const LEVEL_COLOUR: Record<IndicatorRiskLevel, string> = { high: 'red', medium: 'orange', low: 'default' };

export function IndicatorStatusTag({ status }: { status: IndicatorStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLOUR[status]} data-testid="indicator-status" data-status={status}>
      {t(`indicators.status.${status}`)}
    </Tag>
  );
}

export function RiskLevelTag({ level }: { level: IndicatorRiskLevel }) {
  const t = useT();
  return (
    <Tag color={LEVEL_COLOUR[level]} data-level={level}>
      {t(`indicators.level.${level}`)}
    </Tag>
  );
}

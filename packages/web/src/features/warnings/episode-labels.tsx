import type { EpisodeSummary } from '@fanzha/contracts';
import type { LadderStep, WarningGrade } from '@fanzha/domain';
import { Tag } from 'antd';
import { useT } from '../../i18n';
import { countyName } from '../county/county-queue';

const GRADE_COLOURS: Record<WarningGrade, string> = { high: 'red', medium: 'orange', low: 'blue' };

export function GradeTag({ grade, testId }: { grade: WarningGrade; testId?: string }) {
  const t = useT();
  return (
    <Tag color={GRADE_COLOURS[grade]} data-testid={testId} data-grade={grade} style={{ fontWeight: 600 }}>
      {t(`warnings.grade.${grade}`)}
    </Tag>
  );
}

export function StepTag({
  step,
  isOverdue,
  testId,
}: {
  step: LadderStep;
  isOverdue?: boolean;
  testId?: string;
}) {
  const t = useT();
  const colour =
    step === 'closed' ? 'default' : step === 'hold' || step === 'hold_pending' ? 'purple' : 'geekblue';
  return (
    <Tag color={isOverdue ? 'error' : colour} data-testid={testId} data-step={step}>
      {t(`warnings.step.${step}`)}
      {isOverdue ? ` · ${t('warnings.overdue')}` : ''}
    </Tag>
  );
}

/** A county's name as staff write it; the centre's desk for an episode routed nowhere. */
export function episodeCounty(e: Pick<EpisodeSummary, 'countyCode' | 'countyName'>, centre: string): string {
  return e.countyCode ? countyName(e.countyCode, e.countyName) : centre;
}

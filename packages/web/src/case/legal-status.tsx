import { ClockCircleOutlined } from '@ant-design/icons';
import type { StopPaymentView } from '@fanzha/contracts';
import type { LegalState } from '@fanzha/domain';
import { Tag, Tooltip } from 'antd';
import { useT } from '../i18n';
import { MONO_STYLE, formatCentreTime, useNow } from '../ui';
import { COUNTDOWN_COLORS, LAPSE_THRESHOLDS, countdownTo, legalStateAt } from './legal-countdown';

const STATE_COLORS: Record<LegalState, string> = {
  none: 'default',
  stopped: 'green',
  freezing: 'geekblue',
  lapsed: 'red',
  renewed: 'default',
  frozen: 'blue',
  released: 'default',
  returned: 'purple',
  expired: 'red',
};

/** 止付中 / 已冻结 / 止付已到期 …: where an account's money stands in law. */
export function LegalStateTag({ state }: { state: LegalState }) {
  const t = useT();
  return (
    <Tag color={STATE_COLORS[state]} data-legal-state={state} style={{ marginInlineEnd: 0 }}>
      {t(`legal.state.${state}`)}
    </Tag>
  );
}

/**
 * A live countdown to a deadline, ticking every second: orange under the first threshold, red under the
 * last (1 h before an emergency stop lapses), and "overdue by" once it has passed.
 */
export function Countdown({
  deadline,
  thresholds = LAPSE_THRESHOLDS,
  testId,
  size = 'normal',
}: {
  deadline: string;
  thresholds?: { soonMs: number; urgentMs: number };
  testId?: string;
  size?: 'normal' | 'large';
}) {
  const t = useT();
  const now = useNow(1000);
  const c = countdownTo(deadline, now, thresholds);
  const color = COUNTDOWN_COLORS[c.level];
  const clock = c.days > 0 ? t('countdown.days', { days: c.days, clock: c.clock }) : c.clock;
  return (
    <Tooltip title={t('countdown.until', { at: formatCentreTime(deadline, true) })}>
      <span
        data-testid={testId}
        data-level={c.level}
        style={{
          ...MONO_STYLE,
          color,
          fontWeight: 600,
          fontSize: size === 'large' ? 20 : undefined,
        }}
      >
        <ClockCircleOutlined style={{ marginInlineEnd: 4 }} />
        {c.level === 'over' ? t('countdown.over', { clock }) : clock}
      </span>
    </Tooltip>
  );
}

/** The legal state, turning to 止付已到期 exactly at the deadline on an open page. */
export function LiveLegalStateTag({
  r,
}: {
  r: Pick<StopPaymentView, 'legalState' | 'expiresAt' | 'freeze'>;
}) {
  const now = useNow(1000);
  return <LegalStateTag state={legalStateAt(r, now)} />;
}

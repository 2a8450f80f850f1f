import {
  CheckCircleFilled,
  ClockCircleOutlined,
  CloudSyncOutlined,
  ExclamationCircleFilled,
  PhoneOutlined,
} from '@ant-design/icons';
import { Button, Flex, Input, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorText, useLocale, useT } from '../../i18n';
import { formatClockTime, formatStopwatch, parseCentreTime, secondsBetween, TEXT_COLOURS } from '../../ui';
import { MONO } from './intake-fields';
import type { SaveState } from './use-intake-draft';

/** Before the call: no clock runs, and one button (focused, so Enter or Space takes the call) starts it. */
export function AwaitingCall({ onAnswer }: { onAnswer: () => void }) {
  const t = useT();
  return (
    <Flex vertical gap={6} data-testid="intake-clock" data-state="waiting">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <ClockCircleOutlined /> {t('intake.clock')}
      </Typography.Text>
      <span style={{ ...MONO, fontSize: 30, fontWeight: 600, color: TEXT_COLOURS.muted, lineHeight: 1.1 }}>
        --:--
      </span>
      <Button
        type="primary"
        size="large"
        block
        autoFocus
        icon={<PhoneOutlined />}
        onClick={onAnswer}
        data-testid="intake-answer"
      >
        {t('intake.answer')}
      </Button>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('intake.answer.hint')}
      </Typography.Text>
    </Flex>
  );
}

export function Clock({ since, onChange }: { since: string; onChange: (iso: string) => void }) {
  const t = useT();
  const [now, setNow] = useState(() => new Date());
  const [isEditing, setIsEditing] = useState(false);
  const [draft, setDraft] = useState('');
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  const seconds = secondsBetween(since, now);
  const color =
    seconds >= 180 ? TEXT_COLOURS.danger : seconds >= 120 ? TEXT_COLOURS.warning : TEXT_COLOURS.primary;
  return (
    <Flex vertical gap={2}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <ClockCircleOutlined /> {t('intake.clock')}
      </Typography.Text>
      <span
        data-testid="intake-clock"
        data-state="running"
        data-seconds={seconds}
        style={{ ...MONO, fontSize: 30, fontWeight: 600, color, lineHeight: 1.1 }}
      >
        {formatStopwatch(seconds)}
      </span>
      {isEditing ? (
        <Input
          size="small"
          autoFocus
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => setIsEditing(false)}
          onPressEnter={() => {
            const iso = parseCentreTime(draft, new Date());
            if (iso) onChange(iso);
            setIsEditing(false);
          }}
          aria-label={t('access.callAnsweredAt')}
          data-testid="intake-call-answered"
          style={{ ...MONO, width: 120 }}
        />
      ) : (
        <Typography.Link
          style={{ fontSize: 12 }}
          onClick={() => {
            setDraft(formatClockTime(since));
            setIsEditing(true);
          }}
        >
          {t('intake.answeredAt', { time: formatClockTime(since) })}
        </Typography.Link>
      )}
    </Flex>
  );
}

export function SaveIndicator({ state, error }: { state: SaveState; error: unknown }) {
  const t = useT();
  const { locale } = useLocale();
  const reason = error === undefined ? '' : errorText(locale, error);
  switch (state) {
    case 'idle':
      return <Typography.Text type="secondary">{t('intake.save.idle')}</Typography.Text>;
    case 'saving':
      return (
        <Typography.Text type="secondary">
          <CloudSyncOutlined /> {t('intake.save.saving')}
        </Typography.Text>
      );
    case 'saved':
      return (
        <Typography.Text type="success" data-testid="intake-saved">
          <CheckCircleFilled /> {t('intake.save.saved')}
        </Typography.Text>
      );
    case 'failed':
      return (
        <Typography.Text type="danger" data-testid="intake-save-failed">
          <ExclamationCircleFilled /> {t('intake.save.failed', { reason })}
        </Typography.Text>
      );
    case 'error':
      return (
        <Tooltip title={reason}>
          <Typography.Text type="danger">
            <ExclamationCircleFilled /> {t('intake.save.error')}
          </Typography.Text>
        </Tooltip>
      );
  }
}

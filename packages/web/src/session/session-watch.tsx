import { useQueryClient } from '@tanstack/react-query';
import { Button, Modal, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { sessionSignals, type SessionTimes } from '../api';
import { useT } from '../i18n';
import { formatClockTime, formatStopwatch, useNow } from '../ui';
import { sessionPlan } from './session-plan';
import { SESSION_KEY } from './session-state';
import { useSession } from './use-session';

function usePageVisible(): boolean {
  const [isVisible, setIsVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const onChange = () => setIsVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return isVisible;
}

/**
 * Watches the session's end. A watching console (visible, live) is kept alive within the idle limit —
 * watching a queue is work even without a click — up to the absolute limit, never past it. Any other
 * page warns before the idle limit, with a way to go on. The end itself is shown by the session guard.
 */
export function SessionWatch({ isWatching }: { isWatching: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const session = useSession();
  const info = session.data?.status === 'signed-in' ? session.data.session : undefined;
  const [times, setTimes] = useState<SessionTimes | undefined>(undefined);
  const isVisible = usePageVisible();
  const now = useNow(1000).getTime();
  const lastCheck = useRef(0);
  const [isEndDismissed, setIsEndDismissed] = useState(false);

  useEffect(() => sessionSignals.onTimes(setTimes), []);
  const idleMs = (info?.idleMinutes ?? 30) * 60_000;
  const clock = {
    idleExpiresAt: times?.idleExpiresAt ?? (info ? Date.parse(info.idleExpiresAt) : Infinity),
    expiresAt: times?.expiresAt ?? (info ? Date.parse(info.expiresAt) : Infinity),
    idleMs,
  };
  const plan = sessionPlan(clock, now, isWatching && isVisible);

  // Asking for the session uses it (so it keeps it alive) and, at the end, learns that it is over.
  const check = useCallback(
    (minGapMs: number) => {
      if (Date.now() - lastCheck.current < minGapMs) return;
      lastCheck.current = Date.now();
      void client.refetchQueries({ queryKey: SESSION_KEY });
    },
    [client],
  );
  useEffect(() => {
    if (plan === 'keep-alive') check(idleMs / 8);
    else if (plan === 'ended') check(5_000);
  }, [plan, now, idleMs, check]);

  if (!info) return null;
  const isOpen = plan === 'warn-idle' || (plan === 'warn-end' && !isEndDismissed);
  const endsAt = plan === 'warn-end' ? clock.expiresAt : clock.idleExpiresAt;
  const left = Math.max(0, Math.ceil((endsAt - now) / 1000));
  return (
    <Modal
      open={isOpen}
      title={t(plan === 'warn-end' ? 'session.warnEnd.title' : 'session.warnIdle.title')}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        plan === 'warn-end' ? (
          <Button onClick={() => setIsEndDismissed(true)}>{t('session.understood')}</Button>
        ) : (
          <Button type="primary" onClick={() => check(0)} data-testid="session-continue">
            {t('session.continue')}
          </Button>
        )
      }
    >
      <div data-testid="session-warning" data-plan={plan}>
        <Typography.Paragraph>
          {plan === 'warn-end'
            ? t('session.warnEnd.body', { time: formatClockTime(new Date(clock.expiresAt).toISOString()) })
            : t('session.warnIdle.body')}
        </Typography.Paragraph>
        <Typography.Text strong style={{ fontSize: 24 }} data-testid="session-warning-left">
          {formatStopwatch(left)}
        </Typography.Text>
      </div>
    </Modal>
  );
}

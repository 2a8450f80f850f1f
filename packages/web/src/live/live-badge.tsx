import { Badge, Tooltip } from 'antd';
import { useT } from '../i18n';
import { useLiveStream } from './live-stream';

/** Whether this console is receiving live updates: staff must know when the queue might be stale. */
export function LiveBadge() {
  const t = useT();
  const { status } = useLiveStream();
  return (
    <Tooltip title={t('live.hint')}>
      <span data-testid="live-status" data-status={status}>
        <Badge status={status === 'open' ? 'processing' : 'warning'} text={t(`live.${status}`)} />
      </span>
    </Tooltip>
  );
}

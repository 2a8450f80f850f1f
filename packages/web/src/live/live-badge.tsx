import { SyncOutlined } from '@ant-design/icons';
import { Badge, Tag, Tooltip } from 'antd';
import { useT } from '../i18n';
import { useLiveStream } from './live-stream';

/**
 * Whether this console is receiving live updates. Staff must see at a glance when the queue might be
 * stale: anything but a live stream is a loud tag, not a small dot next to a word.
 */
export function LiveBadge() {
  const t = useT();
  const { status } = useLiveStream();
  if (status === 'open')
    return (
      <Tooltip title={t('live.hint')}>
        <span data-testid="live-status" data-status={status}>
          <Badge status="processing" text={t('live.open')} />
        </span>
      </Tooltip>
    );
  return (
    <Tooltip title={t('live.stale')}>
      <Tag
        color={status === 'reconnecting' ? 'error' : 'warning'}
        icon={<SyncOutlined spin />}
        role="status"
        data-testid="live-status"
        data-status={status}
        style={{ fontSize: 14, lineHeight: '24px', paddingInline: 10, fontWeight: 600, marginInlineEnd: 0 }}
      >
        {t(`live.${status}`)}
      </Tag>
    </Tooltip>
  );
}

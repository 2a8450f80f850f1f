import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, ConfigProvider, Popover } from 'antd';
import { useState } from 'react';
import { useT } from '../../i18n';
import { TEXT_COLOURS, appTheme } from '../../ui';
import { AlertList } from './alert-list';
import { useOpenAlerts } from './use-alerts';

/** The bell in the header: how many reminders and escalations wait, the list, acknowledge each. */
export function AlertsBell() {
  const t = useT();
  const [isOpen, setOpen] = useState(false);
  const alerts = useOpenAlerts();
  const list = alerts.data?.alerts ?? [];
  const hasEscalation = list.some((a) => a.level === 'escalation');
  // The header is dark; the list opens in the consoles' light theme, the bell itself stays white.
  return (
    <ConfigProvider theme={appTheme}>
      <Popover
        open={isOpen}
        onOpenChange={setOpen}
        trigger="click"
        placement="bottomRight"
        title={t('alerts.title')}
        content={
          <div style={{ width: 420, maxHeight: 480, overflow: 'auto' }}>
            <AlertList alerts={list} onOpen={() => setOpen(false)} />
          </div>
        }
      >
        <Badge
          count={list.length}
          size="small"
          color={hasEscalation ? TEXT_COLOURS.danger : TEXT_COLOURS.warning}
          offset={[-4, 4]}
        >
          <Button
            type="text"
            icon={<BellOutlined style={{ fontSize: 18, color: 'rgba(255,255,255,0.85)' }} />}
            aria-label={t('alerts.title')}
            data-testid="alerts-bell"
            data-count={list.length}
          />
        </Badge>
      </Popover>
    </ConfigProvider>
  );
}

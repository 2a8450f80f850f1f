import { HomeOutlined } from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import { Link, useLocation } from 'react-router';
import { useT } from '../i18n';
import { CONSOLES, ConsoleIcon, NAV_GROUPS, consoleForPath } from '../ui';

// Items are real links (open in a new tab works) with stable test ids; the menu only highlights.
export function NavMenu() {
  const t = useT();
  const { pathname } = useLocation();
  const selected = consoleForPath(pathname) ?? (pathname === '/' ? 'home' : '');

  const items: MenuProps['items'] = [
    {
      key: 'home',
      icon: <HomeOutlined />,
      label: (
        <Link to="/" data-testid="nav-home">
          {t('nav.home')}
        </Link>
      ),
    },
    ...NAV_GROUPS.map((group) => ({
      type: 'group' as const,
      key: `group-${group}`,
      label: t(`nav.group.${group}`),
      children: CONSOLES.filter((c) => c.group === group).map((c) => ({
        key: c.key,
        icon: <ConsoleIcon console={c.key} />,
        label: (
          <Link to={c.path} data-testid={`nav-${c.key}`}>
            {t(`console.${c.key}.title`)}
          </Link>
        ),
      })),
    })),
  ];

  return <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 'none' }} />;
}

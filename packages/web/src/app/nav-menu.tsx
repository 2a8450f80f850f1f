import { HomeOutlined } from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import { Link, useLocation } from 'react-router';
import { useT } from '../i18n';
import { useMe } from '../session';
import { ConsoleIcon, NAV_GROUPS, consoleForPath } from '../ui';
import { navSections } from './nav-sections';

// Items are real links (open in a new tab works) with stable test ids; the menu only highlights.
// Only the user's own consoles appear: a menu full of 403s would be noise.
export function NavMenu() {
  const t = useT();
  const me = useMe();
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
    ...navSections(me.consoles, NAV_GROUPS).map(({ group, consoles }) => ({
      type: 'group' as const,
      key: `group-${group}`,
      label: t(`nav.group.${group}`),
      children: consoles.map((c) => ({
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

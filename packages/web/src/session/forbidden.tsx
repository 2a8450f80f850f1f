import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useT } from '../i18n';
import type { ConsoleKey } from '../ui';
import { useMe } from './use-session';

/** A console this role may not open: say so, and say whom to ask, rather than show an empty console. */
export function Forbidden({ console: key }: { console: ConsoleKey }) {
  const t = useT();
  const me = useMe();
  return (
    <Result
      status="403"
      title={t('forbidden.title')}
      subTitle={t('forbidden.subtitle', { role: t(`role.${me.role}`), console: t(`console.${key}.title`) })}
      data-testid="forbidden"
      extra={
        <Link to="/">
          <Button type="primary">{t('notFound.back')}</Button>
        </Link>
      }
    />
  );
}

import { Card, Result } from 'antd';
import { useT } from '../i18n';
import { ConsoleIcon } from './console-icon';
import type { ConsoleKey } from './consoles';
import { PageHeading } from './page-heading';

/** Stands in for a console until its issue is done; says so plainly and shows no invented data. */
export function ConsolePlaceholder({ console: key }: { console: ConsoleKey }) {
  const t = useT();
  const title = t(`console.${key}.title`);
  return (
    <>
      <PageHeading title={title} description={t(`console.${key}.purpose`)} />
      <Card>
        <Result
          icon={<ConsoleIcon console={key} style={{ color: '#bfbfbf' }} />}
          title={t('placeholder.title', { console: title })}
          subTitle={t('placeholder.subtitle')}
          data-testid="console-placeholder"
        />
      </Card>
    </>
  );
}

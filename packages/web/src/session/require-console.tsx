import type { Role } from '@fanzha/domain';
import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import type { ConsoleKey } from '../ui';
import { Forbidden } from './forbidden';
import { canOpen } from './session-state';
import { useMe } from './use-session';

/** The server refuses the console's data anyway; this keeps the page itself from showing. */
export function RequireConsole({
  console: key,
  children,
  forbidden,
}: {
  console: ConsoleKey;
  children: ReactNode;
  /** Where the 403 goes, when not inside the shell (the wall). */
  forbidden?: (page: ReactNode) => ReactNode;
}) {
  const me = useMe();
  if (canOpen(me, key)) return children;
  const page = <Forbidden console={key} />;
  return forbidden ? forbidden(page) : page;
}

/** A page that is not a console (a report): open to the roles the server lets read it. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const t = useT();
  const me = useMe();
  if (roles.includes(me.role)) return children;
  return <Result status="403" title={t('forbidden.title')} data-testid="forbidden" />;
}

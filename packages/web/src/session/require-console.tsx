import type { ReactNode } from 'react';
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

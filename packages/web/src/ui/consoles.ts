import { consoles, type Console } from '@fanzha/domain';

/**
 * The consoles of the centre, in the order a report flows through it; each has a route and a nav item.
 * The list is the domain's own, the same names the server sends in `Me.consoles`.
 */
export const CONSOLE_KEYS = consoles;
export type ConsoleKey = Console;

export type NavGroup = 'reports' | 'prevention' | 'command' | 'system';

export interface ConsoleEntry {
  key: ConsoleKey;
  path: `/${ConsoleKey}`;
  group: NavGroup;
}

const GROUP_OF: Record<ConsoleKey, NavGroup> = {
  intake: 'reports',
  'stop-payment': 'reports',
  bank: 'reports',
  operator: 'reports',
  county: 'reports',
  warnings: 'prevention',
  countermeasures: 'prevention',
  'two-cards': 'prevention',
  analysis: 'command',
  indicators: 'command',
  tasks: 'command',
  callbacks: 'command',
  wall: 'command',
  admin: 'system',
  audit: 'system',
  publicity: 'prevention',
};

export const NAV_GROUPS: readonly NavGroup[] = ['reports', 'prevention', 'command', 'system'];

/**
 * Consoles the domain names (and the server lists for some roles) that this build does not have yet.
 * They stay out of the menu, the home page and the routes until they exist: a menu entry that opens
 * "coming soon" only costs people a click and their trust.
 */
export const PLANNED_CONSOLES: ReadonlySet<ConsoleKey> = new Set<ConsoleKey>([]);

/** The consoles this build has, each with its route and menu entry. */
export const CONSOLES: readonly ConsoleEntry[] = CONSOLE_KEYS.filter((key) => !PLANNED_CONSOLES.has(key)).map(
  (key) => ({ key, path: `/${key}` as const, group: GROUP_OF[key] }),
);

/** The (built) console a location belongs to, including its sub-pages (`/intake/123` → intake). */
export function consoleForPath(pathname: string): ConsoleKey | undefined {
  const first = pathname.split('/')[1] ?? '';
  return CONSOLES.find((c) => c.key === first)?.key;
}

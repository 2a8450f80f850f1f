// Not through the `ui` barrel: a pure module, and its test, need not load Ant Design.
import { CONSOLES, type ConsoleEntry, type NavGroup } from '../ui/consoles';

/**
 * The user's consoles in menu groups: groups keep their fixed order, consoles within a group keep the
 * server's order, empty groups vanish, and names this build does not know (a newer server) are skipped.
 */
export function navSections(
  allowed: readonly string[],
  groups: readonly NavGroup[],
): { group: NavGroup; consoles: ConsoleEntry[] }[] {
  const entries = allowed.flatMap((key) => CONSOLES.find((c) => c.key === key) ?? []);
  return groups
    .map((group) => ({ group, consoles: entries.filter((c) => c.group === group) }))
    .filter((section) => section.consoles.length > 0);
}

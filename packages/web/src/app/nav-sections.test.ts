import { describe, expect, it } from 'vitest';
import { NAV_GROUPS } from '../ui/consoles';
import { navSections } from './nav-sections';

const keys = (sections: ReturnType<typeof navSections>) =>
  sections.map((s) => [s.group, s.consoles.map((c) => c.key)]);

describe('navSections', () => {
  it("shows only the user's consoles, grouped, in the server's order", () => {
    expect(keys(navSections(['stop-payment', 'intake', 'wall'], NAV_GROUPS))).toEqual([
      ['reports', ['stop-payment', 'intake']],
      ['command', ['wall']],
    ]);
  });

  it('puts the registry with analysis and the countermeasures with prevention', () => {
    expect(
      keys(navSections(['analysis', 'indicators', 'countermeasures', 'two-cards', 'wall'], NAV_GROUPS)),
    ).toEqual([
      ['prevention', ['countermeasures', 'two-cards']],
      ['command', ['analysis', 'indicators', 'wall']],
    ]);
  });

  it('drops empty groups and unknown consoles', () => {
    expect(keys(navSections(['admin', 'time-machine'], NAV_GROUPS))).toEqual([['system', ['admin']]]);
    expect(navSections([], NAV_GROUPS)).toEqual([]);
  });
});

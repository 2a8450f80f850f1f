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

  it('leaves out the consoles not built yet, though the server lists them', () => {
    expect(keys(navSections(['analysis', 'countermeasures', 'two-cards', 'wall'], NAV_GROUPS))).toEqual([
      ['prevention', ['two-cards']],
      ['command', ['analysis', 'wall']],
    ]);
    expect(keys(navSections(['warnings', 'countermeasures'], NAV_GROUPS))).toEqual([
      ['prevention', ['warnings']],
    ]);
    expect(keys(navSections(['operator', 'countermeasures'], NAV_GROUPS))).toEqual([
      ['reports', ['operator']],
    ]);
  });

  it('drops empty groups and unknown consoles', () => {
    expect(keys(navSections(['admin', 'time-machine'], NAV_GROUPS))).toEqual([['system', ['admin']]]);
    expect(navSections([], NAV_GROUPS)).toEqual([]);
  });
});

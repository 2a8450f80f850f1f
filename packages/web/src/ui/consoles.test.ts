import { consoles } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { CONSOLES, NAV_GROUPS, PLANNED_CONSOLES, consoleForPath } from './consoles';

describe('consoles', () => {
  it('have unique paths, each in a known nav group', () => {
    expect(new Set(CONSOLES.map((c) => c.path)).size).toBe(CONSOLES.length);
    for (const c of CONSOLES) expect(NAV_GROUPS).toContain(c.group);
  });

  it('are the consoles the server names in Me.consoles, without those not built yet', () => {
    expect([...CONSOLES.map((c) => c.key), ...PLANNED_CONSOLES].sort()).toEqual([...consoles].sort());
    expect(CONSOLES.map((c) => c.key)).toContain('indicators');
  });
});

describe('consoleForPath', () => {
  it('finds the console of a page and its sub-pages', () => {
    expect(consoleForPath('/intake')).toBe('intake');
    expect(consoleForPath('/stop-payment/sp-1/layers')).toBe('stop-payment');
    expect(consoleForPath('/analysis/clusters/c-1')).toBe('analysis');
    expect(consoleForPath('/indicators/42')).toBe('indicators');
    expect(consoleForPath('/countermeasures')).toBe('countermeasures');
  });

  it('returns undefined for home and unknown paths', () => {
    expect(consoleForPath('/')).toBeUndefined();
    expect(consoleForPath('')).toBeUndefined();
    expect(consoleForPath('/intakes')).toBeUndefined();
    expect(consoleForPath('/api/docs')).toBeUndefined();
  });
});

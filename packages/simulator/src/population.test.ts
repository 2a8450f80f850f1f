import { listCounties, validateCountyCode } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { rngFor } from './rng';
import { countyPopulations, pickCounty } from './population';

describe("Guizhou's counties by population", () => {
  const counties = countyPopulations();

  it('covers the 88 county-level units with a population each', () => {
    expect(counties).toHaveLength(88);
    expect(new Set(counties.map((c) => c.code))).toEqual(new Set(listCounties().map((c) => c.code)));
    for (const c of counties) {
      expect(validateCountyCode(c.code).ok).toBe(true);
      expect(c.population).toBeGreaterThan(50_000);
    }
  });

  it('adds up to the 2020 census: 38.56 million, Guiyang 5,987,018, Bijie 6,899,636', () => {
    const total = counties.reduce((s, c) => s + c.population, 0);
    expect(Math.abs(total - 38_562_148)).toBeLessThan(100);
    const prefecture = (prefix: string) =>
      counties.filter((c) => c.code.startsWith(prefix)).reduce((s, c) => s + c.population, 0);
    expect(Math.abs(prefecture('5201') - 5_987_018)).toBeLessThan(10);
    expect(Math.abs(prefecture('5205') - 6_899_636)).toBeLessThan(10);
  });

  it('places victims in proportion: about 15.5 % in Guiyang, more in Qixingguan than in Wanshan', () => {
    const rng = rngFor('counties');
    const picks = Array.from({ length: 40_000 }, () => pickCounty(rng).code);
    const share = (p: (c: string) => boolean) => picks.filter(p).length / picks.length;
    expect(share((c) => c.startsWith('5201'))).toBeCloseTo(0.155, 1);
    expect(share((c) => c === '520502')).toBeGreaterThan(3 * share((c) => c === '520603'));
  });
});

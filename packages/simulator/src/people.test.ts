import { validateCountyCode, validateIdNumber, validateMobile } from '@fanzha/domain';
import { describe, expect, it } from 'vitest';
import { drawAge, drawFraudPhone, drawIdNumber, drawMobile, drawName } from './people';
import { rngFor } from './rng';

describe('people', () => {
  const today = new Date('2026-11-28T00:00:00Z');

  it('gives ID numbers that pass the validator and name the county', () => {
    const rng = rngFor('ids');
    for (let i = 0; i < 2_000; i++) {
      const age = drawAge(rng);
      const id = drawIdNumber(rng, '520102', age, today);
      const v = validateIdNumber(id, today);
      expect(v.ok, id).toBe(true);
      if (v.ok) expect(v.value.countyCode).toBe('520102');
      expect(validateCountyCode('520102').ok).toBe(true);
    }
  });

  it('draws ages as published: about 62 % aged 18–40 and 33 % aged 41–65', () => {
    const rng = rngFor('ages');
    const ages = Array.from({ length: 20_000 }, () => drawAge(rng));
    const share = (min: number, max: number) => ages.filter((a) => a >= min && a <= max).length / ages.length;
    expect(share(18, 40)).toBeCloseTo(0.621, 1);
    expect(share(41, 65)).toBeCloseTo(0.331, 1);
  });

  it('gives mobile numbers of the asked category that pass the validator', () => {
    const rng = rngFor('mobiles');
    for (const category of ['basic', 'mvno'] as const)
      for (let i = 0; i < 1_000; i++) {
        const v = validateMobile(drawMobile(rng, category));
        expect(v.ok).toBe(true);
        if (v.ok) expect(v.value.category).toBe(category);
      }
  });

  it('gives fraud phones that intake accepts as a phone contact', () => {
    const rng = rngFor('fraud phones');
    for (let i = 0; i < 1_000; i++) expect(drawFraudPhone(rng)).toMatch(/^\+?[\d\s-]{5,20}$/);
  });

  it('gives Chinese names of two or three characters', () => {
    const rng = rngFor('names');
    for (let i = 0; i < 500; i++) expect(drawName(rng)).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  countyLabel,
  divisionName,
  guizhouDivisions,
  listCounties,
  listPrefectures,
  validateCountyCode,
  validateDivisionCode,
} from './division.validator';

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
const known = new Set(guizhouDivisions.map((d) => d.code));

describe('validateDivisionCode: properties', () => {
  it('accepts every listed code and returns its entry', () => {
    fc.assert(
      fc.property(fc.constantFrom(...guizhouDivisions), (division) => {
        expect(validateDivisionCode(` ${division.code} `)).toEqual({ ok: true, value: division });
      }),
    );
  });

  it('accepts exactly the county-level codes as counties', () => {
    fc.assert(
      fc.property(fc.constantFrom(...guizhouDivisions), (division) => {
        const result = validateCountyCode(division.code);
        if (division.level === 'county') expect(result).toEqual({ ok: true, value: division });
        else expect(result).toMatchObject({ ok: false, reason: 'division.not_county' });
      }),
    );
  });

  it('rejects codes outside Guizhou with division.not_guizhou', () => {
    fc.assert(
      fc.property(digits(6, 6), (code) => {
        fc.pre(!code.startsWith('52'));
        expect(validateDivisionCode(code)).toMatchObject({ ok: false, reason: 'division.not_guizhou' });
      }),
    );
  });

  it('rejects unlisted 52xxxx codes with division.unknown', () => {
    fc.assert(
      fc.property(digits(4, 4), (rest) => {
        fc.pre(!known.has(`52${rest}`));
        expect(validateDivisionCode(`52${rest}`)).toMatchObject({ ok: false, reason: 'division.unknown' });
      }),
    );
  });

  it('rejects anything but 6 digits with division.format', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (s) => {
        fc.pre(!/^\d{6}$/.test(s.trim()));
        expect(validateDivisionCode(s)).toMatchObject({ ok: false, reason: 'division.format' });
        expect(validateCountyCode(s)).toMatchObject({ ok: false, reason: 'division.format' });
      }),
    );
  });
});

describe('Guizhou divisions', () => {
  it('has 1 province, 9 prefectures and 88 county-level units', () => {
    expect(guizhouDivisions.filter((d) => d.level === 'province')).toHaveLength(1);
    expect(listPrefectures()).toHaveLength(9);
    expect(listCounties()).toHaveLength(88);
  });

  it('links every unit to a listed parent of the level above', () => {
    for (const d of listPrefectures()) expect(d.parentCode).toBe('520000');
    for (const c of listCounties()) {
      const parent = guizhouDivisions.find((d) => d.code === c.parentCode);
      expect(parent?.level).toBe('prefecture');
      expect(c.prefectureName).toBe(parent?.name);
      expect(c.code.slice(0, 4)).toBe(c.parentCode?.slice(0, 4));
    }
  });

  it('lists the counties of one prefecture', () => {
    expect(listCounties('520100').map((c) => c.name)).toEqual([
      '南明区',
      '云岩区',
      '花溪区',
      '乌当区',
      '白云区',
      '观山湖区',
      '开阳县',
      '息烽县',
      '修文县',
      '清镇市',
    ]);
  });

  it('names and labels codes as staff write them', () => {
    expect(divisionName('520000')).toBe('贵州省');
    expect(divisionName('522600')).toBe('黔东南苗族侗族自治州');
    expect(countyLabel('520102')).toBe('贵阳市南明区');
    expect(countyLabel('520581')).toBe('毕节市黔西市');
    expect(countyLabel('520100')).toBe('贵阳市');
    expect(countyLabel('522221')).toBeUndefined();
    expect(listPrefectures().find((p) => p.code === '522700')?.shortName).toBe('黔南州');
  });

  it('does not know abolished codes such as 520221 水城县', () => {
    expect(validateDivisionCode('520221')).toMatchObject({ ok: false, reason: 'division.unknown' });
  });
});

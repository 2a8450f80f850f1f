import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { listCounties } from './division.validator';
import {
  idCheckChar,
  maskIdNumber,
  upgradeLegacyIdNumber,
  validateIdNumber,
  withIdCheckChar,
} from './id-number.validator';

const TODAY = new Date('2026-01-01T00:00:00Z');
const PROVINCES =
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(
    ' ',
  );

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

const region = fc.oneof(
  fc.constantFrom(...listCounties().map((c) => c.code)),
  fc.tuple(fc.constantFrom(...PROVINCES), digits(4, 4)).map(([p, rest]) => p + rest),
);
const birth = fc.date({
  min: new Date('1900-01-01T00:00:00Z'),
  max: new Date('2025-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const ymd = (d: Date) => d.toISOString().slice(0, 10);

const validId = fc.record({ region, birth, seq: digits(3, 3) }).map(({ region, birth, seq }) => ({
  number: withIdCheckChar(region + ymd(birth).replaceAll('-', '') + seq),
  region,
  birthDate: ymd(birth),
  seq,
}));

/** Replace the body and recompute the check char, so only the intended defect remains. */
const rebuild = (number: string, from: number, to: number, text: string) =>
  withIdCheckChar((number.slice(0, from) + text + number.slice(to)).slice(0, 17));

describe('validateIdNumber: properties', () => {
  it('accepts every generated valid number and decodes it', () => {
    fc.assert(
      fc.property(validId, ({ number, region, birthDate, seq }) => {
        const result = validateIdNumber(number, TODAY);
        expect(result).toMatchObject({
          ok: true,
          value: {
            number,
            regionCode: region,
            birthDate,
            sex: Number(seq[2]) % 2 === 1 ? 'male' : 'female',
            isGuizhou: region.startsWith('52'),
          },
        });
      }),
    );
  });

  it('accepts a lower-case x and surrounding spaces, normalising to upper case', () => {
    fc.assert(
      fc.property(validId, ({ number }) => {
        const typed = ` ${number.toLowerCase()} `;
        expect(validateIdNumber(typed, TODAY)).toEqual(validateIdNumber(number, TODAY));
      }),
    );
  });

  it('rejects every wrong check character with id.check_char', () => {
    fc.assert(
      fc.property(validId, fc.constantFrom(...'0123456789X'), ({ number }, wrong) => {
        fc.pre(wrong !== number[17]);
        expect(validateIdNumber(number.slice(0, 17) + wrong, TODAY)).toMatchObject({
          ok: false,
          reason: 'id.check_char',
        });
      }),
    );
  });

  it('detects any single changed digit in the sequence code', () => {
    fc.assert(
      fc.property(
        validId,
        fc.integer({ min: 14, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        ({ number }, i, d) => {
          const changed = number.slice(0, i) + String((Number(number[i]) + d) % 10) + number.slice(i + 1);
          expect(validateIdNumber(changed, TODAY)).toMatchObject({ ok: false, reason: 'id.check_char' });
        },
      ),
    );
  });

  it('rejects dates that are not on the calendar with id.birth_date', () => {
    const badMonthDay = fc.oneof(
      fc.tuple(fc.integer({ min: 13, max: 99 }), fc.integer({ min: 1, max: 28 })),
      fc.tuple(fc.constant(0), fc.integer({ min: 1, max: 28 })),
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constant(0)),
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 32, max: 99 })),
      fc.tuple(fc.constantFrom(4, 6, 9, 11), fc.constant(31)),
      fc.tuple(fc.constant(2), fc.integer({ min: 30, max: 31 })),
    );
    fc.assert(
      fc.property(validId, badMonthDay, ({ number }, [m, d]) => {
        const mmdd = String(m).padStart(2, '0') + String(d).padStart(2, '0');
        expect(validateIdNumber(rebuild(number, 10, 14, mmdd), TODAY)).toMatchObject({
          ok: false,
          reason: 'id.birth_date',
        });
      }),
    );
  });

  it('rejects 29 February outside leap years with id.birth_date', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 1900, max: 2025 }), ({ number }, year) => {
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        const result = validateIdNumber(rebuild(number, 6, 14, `${year}0229`), TODAY);
        if (leap) expect(result.ok).toBe(true);
        else expect(result).toMatchObject({ ok: false, reason: 'id.birth_date' });
      }),
    );
  });

  it('rejects birth dates after today or before 1900 with id.birth_range', () => {
    const outside = fc.oneof(
      fc.date({
        min: new Date('2026-01-02T00:00:00Z'),
        max: new Date('2999-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      fc.date({
        min: new Date('1000-01-01T00:00:00Z'),
        max: new Date('1899-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
    );
    fc.assert(
      fc.property(validId, outside, ({ number }, date) => {
        const result = validateIdNumber(rebuild(number, 6, 14, ymd(date).replaceAll('-', '')), TODAY);
        expect(result).toMatchObject({ ok: false, reason: 'id.birth_range' });
      }),
    );
  });

  it('rejects address codes that start with no province-level code with id.region', () => {
    const badProvince = fc
      .integer({ min: 0, max: 89 })
      .map((n) => String(n).padStart(2, '0'))
      .filter((p) => !PROVINCES.includes(p));
    fc.assert(
      fc.property(validId, badProvince, ({ number }, p) => {
        expect(validateIdNumber(rebuild(number, 0, 2, p), TODAY)).toMatchObject({
          ok: false,
          reason: 'id.region',
        });
      }),
    );
  });

  it('rejects other characters with id.format and other lengths with id.length', () => {
    fc.assert(
      fc.property(
        validId,
        fc.integer({ min: 0, max: 16 }),
        fc.constantFrom(...'XAb-.*'),
        ({ number }, i, ch) => {
          expect(validateIdNumber(number.slice(0, i) + ch + number.slice(i + 1), TODAY)).toMatchObject({
            ok: false,
            reason: 'id.format',
          });
        },
      ),
    );
    fc.assert(
      fc.property(digits(1, 30), (n) => {
        fc.pre(n.length !== 18 && n.length !== 15);
        expect(validateIdNumber(n, TODAY)).toMatchObject({ ok: false, reason: 'id.length' });
      }),
    );
  });

  it('masks all but the first 3 and last 4 characters', () => {
    fc.assert(
      fc.property(validId, ({ number }) => {
        const masked = maskIdNumber(number);
        expect(masked).toHaveLength(18);
        expect(masked).toBe(`${number.slice(0, 3)}${'*'.repeat(11)}${number.slice(14)}`);
      }),
    );
  });
});

describe('validateIdNumber: examples', () => {
  it('accepts the worked examples of id-card.md', () => {
    expect(idCheckChar('52010219900307001')).toBe('4');
    expect(idCheckChar('52010219900307009')).toBe('X');
    expect(validateIdNumber('520102199003070014', TODAY)).toEqual({
      ok: true,
      value: {
        number: '520102199003070014',
        holderType: 'citizen',
        regionCode: '520102',
        birthDate: '1990-03-07',
        sex: 'male',
        isGuizhou: true,
        countyCode: '520102',
      },
    });
    expect(validateIdNumber('52010219900307009x', TODAY)).toMatchObject({
      ok: true,
      value: { number: '52010219900307009X' },
    });
  });

  it('accepts Hong Kong/Macao and Taiwan residence permits', () => {
    expect(validateIdNumber('810000199408230021', TODAY)).toMatchObject({
      ok: true,
      value: { holderType: 'hmt_resident', regionCode: '810000', sex: 'female' },
    });
    expect(validateIdNumber('830000199201300022', TODAY)).toMatchObject({
      ok: true,
      value: { holderType: 'hmt_resident', birthDate: '1992-01-30' },
    });
  });

  it('accepts a 2023 foreigner permanent-residence number (first digit 9)', () => {
    expect(validateIdNumber(withIdCheckChar('93384019850612003'), TODAY)).toMatchObject({
      ok: true,
      value: { holderType: 'foreign_permanent_resident', isGuizhou: false, sex: 'male' },
    });
  });

  it('refuses a foreigner permanent-residence number whose positions 2–3 are no province', () => {
    const mainland = PROVINCES.filter((p) => Number(p) < 71);
    const foreign = fc
      .record({
        province: fc.constantFrom(...mainland),
        nationality: digits(3, 3),
        birth,
        seq: digits(3, 3),
      })
      .map(({ province, nationality, birth, seq }) =>
        withIdCheckChar(`9${province}${nationality}${ymd(birth).replaceAll('-', '')}${seq}`),
      );
    const notProvince = fc
      .integer({ min: 0, max: 99 })
      .map((n) => String(n).padStart(2, '0'))
      .filter((p) => !mainland.includes(p));
    fc.assert(
      fc.property(foreign, notProvince, (number, p) => {
        expect(validateIdNumber(number, TODAY)).toMatchObject({
          ok: true,
          value: { holderType: 'foreign_permanent_resident' },
        });
        expect(validateIdNumber(rebuild(number, 1, 3, p), TODAY)).toMatchObject({
          ok: false,
          reason: 'id.region',
        });
      }),
    );
    // 00 and 99 are no province; 71 (Taiwan) and 81–83 are not where a permanent residence is granted.
    for (const p of ['00', '99', '71', '81'])
      expect(validateIdNumber(withIdCheckChar(`9${p}84019850612003`), TODAY)).toMatchObject({
        ok: false,
        reason: 'id.region',
      });
  });

  it('keeps an abolished Guizhou code valid but without a county (522401 毕节市, to 2010)', () => {
    const result = validateIdNumber(withIdCheckChar('52240119800101002'), TODAY);
    expect(result).toMatchObject({
      ok: true,
      value: { isGuizhou: true, regionCode: '522401', sex: 'female' },
    });
    expect(result.ok && result.value.countyCode).toBeUndefined();
  });

  it('judges "today" by the date in China, whatever the server time zone', () => {
    const born = withIdCheckChar('52010220260101001');
    expect(validateIdNumber(born, new Date('2025-12-31T16:00:00Z')).ok).toBe(true);
    expect(validateIdNumber(born, new Date('2025-12-31T15:59:59Z'))).toMatchObject({
      reason: 'id.birth_range',
    });
    expect(validateIdNumber(withIdCheckChar('52010219000101001'), TODAY).ok).toBe(true);
    expect(validateIdNumber(withIdCheckChar('52010218991231001'), TODAY)).toMatchObject({
      reason: 'id.birth_range',
    });
  });

  it('points 15-digit numbers to the upgrade', () => {
    expect(validateIdNumber('520102900307001', TODAY)).toMatchObject({ ok: false, reason: 'id.legacy_15' });
    expect(upgradeLegacyIdNumber('520102900307001')).toBe('520102199003070014');
    expect(upgradeLegacyIdNumber('52010290030700X')).toBeUndefined();
    expect(validateIdNumber('  ', TODAY)).toMatchObject({ ok: false, reason: 'id.empty' });
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskMobile, mobileSegments, validateMobile, type MobileSegment } from './mobile.validator';

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

// Independent oracle: the longest table prefix of the number.
function expectedSegment(national: string): MobileSegment | undefined {
  return mobileSegments
    .filter((s) => national.startsWith(s.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

const allocatedNumber = fc
  .record({ segment: fc.constantFrom(...mobileSegments), rest: digits(8, 8) })
  .map(({ segment, rest }) => (segment.prefix + rest).slice(0, 11));

const anyNumber = digits(10, 10).map((rest) => `1${rest}`);

describe('validateMobile: properties', () => {
  it('accepts every number in an allocated segment and names its carrier', () => {
    fc.assert(
      fc.property(allocatedNumber, (national) => {
        const segment = expectedSegment(national);
        expect(validateMobile(national)).toEqual({
          ok: true,
          value: {
            e164: `+86${national}`,
            national,
            segment: segment?.prefix,
            carrier: segment?.carrier,
            carrierZh: segment?.carrierZh,
            isVirtualOperator: segment?.category === 'mvno',
            category: segment?.category,
          },
        });
      }),
    );
  });

  it('accepts the number however it is written (+86, 0086, 86, spaces, hyphens)', () => {
    const written = fc.tuple(
      allocatedNumber,
      fc.constantFrom('', '+86', '+86 ', '0086', '0086-', '86', '+86-'),
      fc.constantFrom('', ' ', '-'),
    );
    fc.assert(
      fc.property(written, ([national, prefix, sep]) => {
        const typed = `${prefix}${national.slice(0, 3)}${sep}${national.slice(3, 7)}${sep}${national.slice(7)}`;
        expect(validateMobile(typed)).toEqual(validateMobile(national));
      }),
    );
  });

  it('e164 round-trips', () => {
    fc.assert(
      fc.property(allocatedNumber, (national) => {
        const first = validateMobile(national);
        if (!first.ok) throw new Error('expected valid');
        expect(validateMobile(first.value.e164)).toEqual(first);
      }),
    );
  });

  it('rejects exactly the numbers outside the table with mobile.unallocated_segment', () => {
    fc.assert(
      fc.property(anyNumber, (national) => {
        const result = validateMobile(national);
        if (expectedSegment(national)) expect(result.ok).toBe(true);
        else expect(result).toMatchObject({ ok: false, reason: 'mobile.unallocated_segment' });
      }),
    );
  });

  it('rejects other lengths with mobile.length', () => {
    fc.assert(
      fc.property(digits(1, 20), (rest) => {
        fc.pre(rest.length !== 10);
        expect(validateMobile(`1${rest}`)).toMatchObject({ ok: false, reason: 'mobile.length' });
      }),
    );
  });

  it('rejects 11 digits not starting with 1 with mobile.not_mobile', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'023456789'), digits(10, 10), (first, rest) => {
        expect(validateMobile(first + rest)).toMatchObject({ ok: false, reason: 'mobile.not_mobile' });
      }),
    );
  });

  it('rejects other country codes with mobile.country_code', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('+1', '+852', '+853', '+886', '0044', '+95', '+855'),
        anyNumber,
        (cc, n) => {
          expect(validateMobile(cc + n)).toMatchObject({ ok: false, reason: 'mobile.country_code' });
        },
      ),
    );
  });

  it('rejects letters and punctuation with mobile.not_digits', () => {
    fc.assert(
      fc.property(allocatedNumber, fc.nat(), fc.constantFrom(...'aOl.#*()'), (n, at, ch) => {
        const i = at % n.length;
        expect(validateMobile(n.slice(0, i) + ch + n.slice(i))).toMatchObject({
          ok: false,
          reason: 'mobile.not_digits',
        });
      }),
    );
  });
});

describe('validateMobile: examples', () => {
  const carrierOf = (n: string) => {
    const r = validateMobile(n);
    return r.ok ? `${r.value.carrier}/${r.value.category}/${r.value.segment}` : r.reason;
  };

  it('maps segments to their original carriers', () => {
    expect(carrierOf('13812345678')).toBe('china_mobile/basic/138');
    expect(carrierOf('13012345678')).toBe('china_unicom/basic/130');
    expect(carrierOf('18912345678')).toBe('china_telecom/basic/189');
    expect(carrierOf('19212345678')).toBe('china_broadnet/basic/192');
    expect(carrierOf('19012345678')).toBe('china_telecom/basic/190');
    expect(carrierOf('19612345678')).toBe('china_unicom/basic/196');
    expect(carrierOf('19712345678')).toBe('china_mobile/basic/197');
  });

  it('splits 134, 170 and 174 by the fourth or fifth digit', () => {
    expect(carrierOf('13481234567')).toBe('china_mobile/basic/134');
    expect(carrierOf('13491234567')).toBe('china_telecom/satellite/1349');
    expect(carrierOf('17001234567')).toBe('china_telecom/mvno/1700');
    expect(carrierOf('17031234567')).toBe('china_mobile/mvno/1703');
    expect(carrierOf('17041234567')).toBe('china_unicom/mvno/1704');
    expect(carrierOf('17091234567')).toBe('china_unicom/mvno/1709');
    expect(carrierOf('17405123456')).toBe('china_telecom/satellite/17405');
    expect(carrierOf('17406123456')).toBe('other/emergency/17406');
    expect(carrierOf('17491234567')).toBe('other/satellite/1749');
    expect(carrierOf('17413123456')).toBe('mobile.unallocated_segment');
  });

  it('flags virtual operators', () => {
    for (const n of ['16212345678', '16512345678', '16712345678', '17112345678', '17051234567']) {
      expect(validateMobile(n)).toMatchObject({
        ok: true,
        value: { isVirtualOperator: true, category: 'mvno' },
      });
    }
  });

  it('rejects unallocated segments', () => {
    for (const n of ['14012345678', '15412345678', '16012345678', '19412345678', '17912345678']) {
      expect(carrierOf(n)).toBe('mobile.unallocated_segment');
    }
  });

  it('treats a bare 86 as a country code only when 11 digits remain', () => {
    expect(validateMobile('8613812345678')).toMatchObject({ ok: true, value: { national: '13812345678' } });
    expect(validateMobile('86138123456')).toMatchObject({ ok: false, reason: 'mobile.not_mobile' });
    expect(validateMobile('')).toMatchObject({ ok: false, reason: 'mobile.empty' });
  });

  it('masks the middle four digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });
});

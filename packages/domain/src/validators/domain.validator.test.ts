import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { registrableDomainOf, validateDomain } from './domain.validator';

const label = fc
  .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
  .filter((l) => !l.startsWith('xn--'));
const tld = fc.constantFrom('com', 'cn', 'net', 'org', 'top', 'xyz', 'xn--fiqs8s');
export const hostName = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), tld)
  .map(([labels, t]) => [...labels, t].join('.'));

const upperSome = (s: string, mask: boolean[]) =>
  [...s].map((c, i) => (mask[i % mask.length] ? c.toUpperCase() : c)).join('');

describe('validateDomain: properties', () => {
  it('accepts generated host names, in any letter case and with a trailing dot', () => {
    fc.assert(
      fc.property(hostName, fc.array(fc.boolean(), { minLength: 1 }), fc.boolean(), (host, mask, dot) => {
        const result = validateDomain(upperSome(host, mask) + (dot ? '.' : ''));
        expect(result).toMatchObject({
          ok: true,
          value: { host, registrableDomain: registrableDomainOf(host) },
        });
      }),
    );
  });

  it('turns Chinese labels into punycode and back', () => {
    const chinese = fc.string({
      unit: fc.constantFrom(...'例子银行中国网贵州阳公安'),
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        fc.array(chinese, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('中国', 'cn', 'com'),
        (ls, t) => {
          const name = [...ls, t].join('.');
          const result = validateDomain(name);
          expect(result).toMatchObject({ ok: true, value: { hostUnicode: name } });
          expect(result.ok && result.value.host).toMatch(/^[a-z0-9.-]+$/);
        },
      ),
    );
  });

  it('names the registrable domain under two-level suffixes', () => {
    fc.assert(
      fc.property(
        label,
        label,
        fc.constantFrom('com.cn', 'gov.cn', 'gz.cn', 'co.uk', 'com.hk'),
        (sub, name, suffix) => {
          expect(validateDomain(`${sub}.${name}.${suffix}`)).toMatchObject({
            ok: true,
            value: { registrableDomain: `${name}.${suffix}` },
          });
        },
      ),
    );
  });

  it('rejects labels over 63 characters with domain.label_length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 200 }), tld, (n, t) => {
        expect(validateDomain(`${'a'.repeat(n)}.${t}`)).toMatchObject({
          ok: false,
          reason: 'domain.label_length',
        });
      }),
    );
  });

  it('rejects names over 253 characters with domain.too_long', () => {
    fc.assert(
      fc.property(fc.integer({ min: 42, max: 80 }), (n) => {
        const name = `${Array.from({ length: n }, () => 'abcde').join('.')}.com`;
        expect(validateDomain(name)).toMatchObject({ ok: false, reason: 'domain.too_long' });
      }),
    );
  });

  it('rejects labels starting or ending with a hyphen with domain.hyphen', () => {
    fc.assert(
      fc.property(label, fc.boolean(), tld, (l, atStart, t) => {
        const bad = atStart ? `-${l}` : `${l}-`;
        expect(validateDomain(`${bad}.${t}`)).toMatchObject({ ok: false, reason: 'domain.hyphen' });
      }),
    );
  });

  it('rejects characters not allowed in host names with domain.characters', () => {
    fc.assert(
      fc.property(label, fc.constantFrom(..."!$&'()*+,;=~"), (l, ch) => {
        expect(validateDomain(`${l}${ch}x.com`)).toMatchObject({ ok: false, reason: 'domain.characters' });
      }),
    );
  });

  it('rejects single labels with domain.no_dot', () => {
    fc.assert(
      fc.property(label, (l) => {
        fc.pre(!/^\d+$/.test(l) && !/^0x[0-9a-f]*$/.test(l));
        expect(validateDomain(l)).toMatchObject({ ok: false, reason: 'domain.no_dot' });
      }),
    );
  });
});

describe('validateDomain: examples', () => {
  it('normalises case, trailing dot and IDN', () => {
    expect(validateDomain(' Bank.Example.COM. ')).toEqual({
      ok: true,
      value: { host: 'bank.example.com', hostUnicode: 'bank.example.com', registrableDomain: 'example.com' },
    });
    expect(validateDomain('例子.中国')).toMatchObject({
      ok: true,
      value: { host: 'xn--fsqu00a.xn--fiqs8s', hostUnicode: '例子.中国' },
    });
  });

  it('rejects IPs, URLs and malformed names with specific reasons', () => {
    expect(validateDomain('1.2.3.4')).toMatchObject({ reason: 'domain.is_ip' });
    expect(validateDomain('http://a.com')).toMatchObject({ reason: 'domain.malformed' });
    expect(validateDomain('a.com/path')).toMatchObject({ reason: 'domain.malformed' });
    expect(validateDomain('a..com')).toMatchObject({ reason: 'domain.empty_label' });
    expect(validateDomain('a.123')).toMatchObject({ reason: 'domain.tld' });
    expect(validateDomain('a.c')).toMatchObject({ reason: 'domain.tld' });
    expect(validateDomain('')).toMatchObject({ reason: 'domain.empty' });
  });
});

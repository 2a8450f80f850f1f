import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withLuhnCheckDigit } from '../validators/luhn';
import { indicatorKey, indicatorKinds, normaliseIndicator, type IndicatorKind } from './indicator-kind';
import { normaliseApp } from './app.normaliser';
import { normaliseBankAccount } from './bank-account.normaliser';
import { normaliseImei } from './device.normaliser';
import { normaliseDomain } from './domain.normaliser';
import { normalisePhone } from './phone.normaliser';
import { normaliseSocialAccount } from './social-account.normaliser';

const value = (r: { ok: boolean; value?: string; reason?: string }) => (r.ok ? r.value : r.reason);

describe('phone numbers', () => {
  it('writes mobiles, landlines and service numbers as E.164', () => {
    expect(value(normalisePhone('13800138000'))).toBe('+8613800138000');
    expect(value(normalisePhone('0851-8688 8888'))).toBe('+8685186888888');
    expect(value(normalisePhone('(010) 1234-5678'))).toBe('+861012345678');
    expect(value(normalisePhone('400-810-8888'))).toBe('+864008108888');
    expect(value(normalisePhone('+63 917 123 4567'))).toBe('+639171234567');
  });

  it('meets the same number however it is spelt', () => {
    for (const s of [
      '138 0013 8000',
      '+86 138-0013-8000',
      '008613800138000',
      '8613800138000',
      '+86 (0)138 0013 8000',
    ])
      expect(value(normalisePhone(s))).toBe('+8613800138000');
    for (const s of ['0851 86888888', '+86 851 8688 8888', '+86 0851 86888888', '0086-851-86888888'])
      expect(value(normalisePhone(s))).toBe('+8685186888888');
  });

  it('accepts an unallocated mobile segment, which caller ids can be spoofed to', () => {
    expect(value(normalisePhone('14012345678'))).toBe('+8614012345678');
  });

  it('names the problem of what is not a number', () => {
    expect(value(normalisePhone(''))).toBe('phone.empty');
    expect(value(normalisePhone('138abc'))).toBe('phone.characters');
    expect(value(normalisePhone('1380013800'))).toBe('phone.shape');
    expect(value(normalisePhone('12345'))).toBe('phone.length');
    expect(value(normalisePhone('+0123456789'))).toBe('phone.country_code');
  });
});

describe('domains', () => {
  it('keeps the registrable domain of a URL or host, in lower-case punycode', () => {
    expect(value(normaliseDomain('https://WWW.Evil.com.cn:8443/pay?id=1#x'))).toBe('evil.com.cn');
    expect(value(normaliseDomain('pay.evil.com.cn/login'))).toBe('evil.com.cn');
    expect(value(normaliseDomain('http://user@bank.com@evil.cn/'))).toBe('evil.cn');
    expect(value(normaliseDomain('例子.中国'))).toBe('xn--fsqu00a.xn--fiqs8s');
    expect(value(normaliseDomain('xn--fsqu00a.xn--fiqs8s'))).toBe('xn--fsqu00a.xn--fiqs8s');
    expect(value(normaliseDomain('http://1.2.3.4:8080/x'))).toBe('1.2.3.4');
  });

  it('keeps one site on a shared host apart from the host', () => {
    expect(value(normaliseDomain('shop.github.io'))).toBe('shop.github.io');
  });

  it('refuses a public suffix and what is not a web address', () => {
    expect(value(normaliseDomain('com.cn'))).toBe('site.public_suffix');
    expect(value(normaliseDomain('ftp://evil.com'))).toBe('url.scheme');
    expect(value(normaliseDomain(''))).toBe('url.empty');
    expect(value(normaliseDomain('-evil.com'))).toBe('domain.hyphen');
  });
});

describe('apps, social accounts and bank accounts', () => {
  const hash = 'ab'.repeat(32);
  it('lower-cases package names and hashes', () => {
    expect(value(normaliseApp(' Com.Evil.Loan '))).toBe('com.evil.loan');
    expect(value(normaliseApp(`SHA256:${hash.toUpperCase()}`))).toBe(hash);
    expect(value(normaliseApp(Array.from({ length: 32 }, () => 'AB').join(':')))).toBe(hash);
    expect(value(normaliseApp('not an app'))).toBe('app.format');
  });

  it('writes a social account as platform:id', () => {
    expect(value(normaliseSocialAccount('WeChat', 'Zhang_San88'))).toBe('wechat:zhang_san88');
    expect(value(normaliseSocialAccount('telegram', '@Cash_Helper'))).toBe('telegram:cash_helper');
    expect(value(normaliseSocialAccount('qq', '0123'))).toBe('social.format');
    expect(value(normaliseSocialAccount('myspace', 'x'))).toBe('social.platform');
  });

  it('keeps an account as digits and refuses a mistyped card', () => {
    const card = withLuhnCheckDigit('622202123456789012');
    expect(value(normaliseBankAccount(card.replace(/(\d{4})/g, '$1 ')))).toBe(card);
    const typo = card.slice(0, -1) + String((Number(card.slice(-1)) + 1) % 10);
    expect(value(normaliseBankAccount(typo))).toBe('card.luhn');
    expect(value(normaliseBankAccount('1100 2233 4455 6677 889'))).toBe('1100223344556677889');
    expect(value(normaliseBankAccount('12ab'))).toBe('account.not_digits');
    expect(value(normaliseBankAccount('1234'))).toBe('account.length');
  });
});

describe('devices (IMEI)', () => {
  // 49-015420-323751-8: the IMEI of 3GPP TS 23.003's example, check digit 8.
  it('keeps a 15-digit IMEI whose last digit is its Luhn check digit, spaces and dashes dropped', () => {
    expect(value(normaliseImei('490154203237518'))).toBe('490154203237518');
    expect(value(normaliseImei(' 49-015420-323751-8 '))).toBe('490154203237518');
    expect(value(normaliseImei('49 015420 323751 8'))).toBe('490154203237518');
    expect(value(normaliseIndicator('device', '490154203237518'))).toBe('490154203237518');
  });

  it('completes a 14-digit IMEI with its check digit, so both spellings meet', () => {
    expect(value(normaliseImei('49015420323751'))).toBe('490154203237518');
    expect(value(normaliseImei(withLuhnCheckDigit('35209900176148')))).toBe(
      value(normaliseImei('35209900176148')),
    );
  });

  it('refuses a wrong check digit, a wrong length and what is not digits, with the reason', () => {
    expect(value(normaliseImei('490154203237519'))).toBe('device.luhn');
    expect(value(normaliseImei(''))).toBe('device.empty');
    expect(value(normaliseImei('4901542032375'))).toBe('device.format');
    expect(value(normaliseImei('4901542032375180'))).toBe('device.format');
    expect(value(normaliseImei('A0000012345678'))).toBe('device.format');
    expect(value(normaliseImei('4901.5420.3237.518'))).toBe('device.format');
  });
});

// Inputs of every kind, valid and not: the properties hold for any string, not only good ones.
const samples: Record<IndicatorKind, fc.Arbitrary<string>> = {
  phone: fc.oneof(
    fc.stringMatching(/^(\+86|0086|86)?[ -]?1[3-9]\d{9}$/),
    fc.stringMatching(/^(\+86 ?)?0?(10|2\d|[3-9]\d\d)-?\d{7,8}$/),
    fc.string(),
  ),
  domain: fc.oneof(fc.webUrl(), fc.domain(), fc.string()),
  app: fc.oneof(
    fc.stringMatching(/^[a-zA-Z]\w{0,8}(\.[a-zA-Z]\w{0,8}){1,3}$/),
    fc.stringMatching(/^[0-9a-fA-F]{64}$/),
    fc.string(),
  ),
  social: fc.oneof(
    fc
      .tuple(
        fc.constantFrom('wechat', 'QQ', 'telegram', 'other'),
        fc.stringMatching(/^@?[A-Za-z][\w]{5,12}$/),
      )
      .map(([p, i]) => `${p}:${i}`),
    fc.string(),
  ),
  account: fc.oneof(fc.stringMatching(/^\d{4}([ -]?\d{4}){2,4}$/), fc.string()),
  device: fc.oneof(fc.stringMatching(/^\d{2}[ -]?\d{6}[ -]?\d{6}[ -]?\d?$/), fc.string()),
};

describe('normal forms', () => {
  it('normalising twice gives the same', () => {
    for (const kind of indicatorKinds) {
      fc.assert(
        fc.property(samples[kind], (s) => {
          const once = normaliseIndicator(kind, s);
          if (once.ok) expect(normaliseIndicator(kind, once.value)).toEqual(once);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('equivalent spellings meet', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^1[3-9]\d{9}$/),
        fc.constantFrom('', '+86', '0086', '+86 '),
        fc.boolean(),
        (n, prefix, spaced) => {
          const spelt = prefix + (spaced ? `${n.slice(0, 3)} ${n.slice(3, 7)}-${n.slice(7)}` : n);
          expect(value(normalisePhone(spelt))).toBe(`+86${n}`);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.domain(),
        fc.constantFrom('', 'http://', 'HTTPS://', 'https://www.'),
        fc.constantFrom('', '/', ':8080/a?b=c', '#top'),
        (d, pre, post) => {
          const bare = normaliseDomain(d);
          fc.pre(bare.ok);
          expect(normaliseDomain(`${pre}${d.toUpperCase()}${post}`)).toEqual(bare);
        },
      ),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{16,19}$/), (digits) => {
        const spaced = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
        expect(normaliseBankAccount(spaced)).toEqual(normaliseBankAccount(digits));
      }),
    );
  });

  it('keys a value by its kind, so the same digits as a phone and an account differ', () => {
    expect(indicatorKey('phone', '+8613800138000')).not.toBe(indicatorKey('account', '+8613800138000'));
  });
});

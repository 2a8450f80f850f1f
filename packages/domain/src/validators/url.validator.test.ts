import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { registrableDomainOf } from './domain.validator';
import { validateUrl } from './url.validator';

const label = fc
  .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,15}[a-z0-9])?$/)
  .filter((l) => !l.startsWith('xn--'));
const host = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('com', 'cn', 'com.cn', 'top', 'vip'),
  )
  .map(([labels, tld]) => [...labels, tld].join('.'));
const pathPart = fc.stringMatching(/^(?:\/[a-zA-Z0-9._~-]{0,8}){0,3}(?:\?[a-z0-9=&]{0,10})?$/);
const fragment = fc.stringMatching(/^(?:#[a-z0-9]{0,8})?$/);
const scheme = fc.constantFrom('', 'http://', 'https://', 'HTTP://', 'Https://');

describe('validateUrl: properties', () => {
  it('accepts generated URLs, normalising host case, default port, fragment and missing scheme', () => {
    fc.assert(
      fc.property(scheme, host, fc.boolean(), pathPart, fragment, (s, h, defaultPort, path, frag) => {
        const https = s.toLowerCase() === 'https://';
        const port = defaultPort ? (https ? ':443' : ':80') : '';
        const result = validateUrl(`${s}${h.toUpperCase()}${port}${path}${frag}`);
        expect(result).toMatchObject({
          ok: true,
          value: {
            scheme: https ? 'https' : 'http',
            host: h,
            hostUnicode: h,
            registrableDomain: registrableDomainOf(h),
            isIp: false,
            hasUserInfo: false,
          },
        });
        if (!result.ok) return;
        expect(result.value.url.startsWith(`${https ? 'https' : 'http'}://${h}/`)).toBe(true);
        expect(result.value.url).not.toContain('#');
        expect(result.value.url).not.toMatch(/:(80|443)\//);
      }),
    );
  });

  it('is idempotent: validating the normalised URL gives the same value', () => {
    fc.assert(
      fc.property(scheme, host, pathPart, fragment, (s, h, path, frag) => {
        const first = validateUrl(`${s}${h}${path}${frag}`);
        if (!first.ok) throw new Error(first.message);
        expect(validateUrl(first.value.url)).toEqual(first);
      }),
    );
  });

  it('keeps the real host and flags user info used to disguise it', () => {
    fc.assert(
      fc.property(host, host, pathPart, (decoy, real, path) => {
        const result = validateUrl(`http://${decoy}@${real}${path}`);
        expect(result).toMatchObject({ ok: true, value: { host: real, hasUserInfo: true } });
      }),
    );
  });

  it('rejects schemes other than http and https with url.scheme', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ftp://', 'javascript:', 'file:///', 'data:', 'mailto:', 'weixin://'),
        host,
        (s, h) => {
          expect(validateUrl(`${s}${h}`)).toMatchObject({ ok: false, reason: 'url.scheme' });
        },
      ),
    );
  });

  it('applies the host rules to the host', () => {
    fc.assert(
      fc.property(label, fc.integer({ min: 64, max: 100 }), (l, n) => {
        expect(validateUrl(`http://${'a'.repeat(n)}.${l}.com/`)).toMatchObject({
          reason: 'domain.label_length',
        });
        expect(validateUrl(`https://-${l}.com/`)).toMatchObject({ reason: 'domain.hyphen' });
        expect(validateUrl(`https://${l}..com/`)).toMatchObject({ reason: 'domain.empty_label' });
      }),
    );
  });
});

describe('validateUrl: examples', () => {
  it('normalises a disguised URL', () => {
    expect(validateUrl(' Bank.COM@Evil.CN:80/login#top ')).toEqual({
      ok: true,
      value: {
        url: 'http://Bank.COM@evil.cn/login',
        scheme: 'http',
        host: 'evil.cn',
        hostUnicode: 'evil.cn',
        registrableDomain: 'evil.cn',
        isIp: false,
        hasUserInfo: true,
      },
    });
  });

  it('converts an IDN host and keeps its Unicode form for display', () => {
    expect(validateUrl('https://例子.中国./a?b=1')).toMatchObject({
      ok: true,
      value: {
        url: 'https://xn--fsqu00a.xn--fiqs8s/a?b=1',
        host: 'xn--fsqu00a.xn--fiqs8s',
        hostUnicode: '例子.中国',
      },
    });
  });

  it('accepts IP hosts, including obfuscated IPv4 forms, as isIp', () => {
    expect(validateUrl('http://0x7f.1/')).toMatchObject({
      ok: true,
      value: { host: '127.0.0.1', isIp: true, registrableDomain: null },
    });
    expect(validateUrl('http://[::1]:8080/')).toMatchObject({
      ok: true,
      value: { host: '[::1]', isIp: true },
    });
  });

  it('reads host:port without a scheme as a host, not a scheme', () => {
    expect(validateUrl('pay.example.com:8443/x')).toMatchObject({
      ok: true,
      value: { url: 'http://pay.example.com:8443/x' },
    });
  });

  it('rejects hosts without a dot and malformed URLs', () => {
    expect(validateUrl('localhost')).toMatchObject({ ok: false, reason: 'domain.no_dot' });
    expect(validateUrl('http://a.com:99999/')).toMatchObject({ ok: false, reason: 'url.malformed' });
    expect(validateUrl('http://exa mple.com/')).toMatchObject({ ok: false, reason: 'url.malformed' });
    expect(validateUrl('   ')).toMatchObject({ ok: false, reason: 'url.empty' });
  });
});

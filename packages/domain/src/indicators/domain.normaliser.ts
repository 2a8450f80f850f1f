import { getDomain } from 'tldts';
import { invalid, valid, type Validation } from '../validators/result';
import { checkHostname, isIpHost } from '../validators/domain.validator';
import { validateUrl, type UrlReason } from '../validators/url.validator';

export type SiteReason = UrlReason | 'site.public_suffix';

export const siteReasonMessagesZh: Record<'site.public_suffix', string> = {
  'site.public_suffix': '这是公共后缀（如 com.cn），不是可注册的域名',
};

// Lower-case ASCII host names: the common case of a signal, parsed without the URL machinery.
const PLAIN_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/**
 * The registrable domain of a URL or host name, as the registry keys sites: 'pay.evil.com.cn/x?y'
 * and 'HTTPS://WWW.EVIL.COM.CN:8443' both give 'evil.com.cn'. Scheme, user info, port, path and
 * subdomains (www included) are dropped, the host lower-cased, IDN labels turned into punycode.
 * The suffix list is the Public Suffix List with its private section, so that one site on a shared
 * host ('shop.github.io') is not confused with the host itself. An IP address is kept as it is.
 */
export function normaliseDomain(input: string): Validation<string> {
  const trimmed = input.trim();
  let host: string;
  if (PLAIN_HOST.test(trimmed) && !isIpHost(trimmed) && checkHostname(trimmed) === undefined) {
    host = trimmed;
  } else {
    const url = validateUrl(trimmed);
    if (!url.ok) return invalid(url.reason as SiteReason, url.message);
    if (url.value.isIp) return valid(url.value.host);
    host = url.value.host;
  }
  const registrable = getDomain(host, { allowPrivateDomains: true, extractHostname: false });
  if (registrable === null || registrable === '') {
    return invalid('site.public_suffix', `${host} is a public suffix, not a domain anyone registers.`);
  }
  return valid(registrable);
}

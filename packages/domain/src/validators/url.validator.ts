import {
  checkHostname,
  hostToUnicode,
  isIpHost,
  registrableDomainOf,
  type HostReason,
} from './domain.validator';
import { invalid, valid, type Validation } from './result';

export type UrlReason = 'url.empty' | 'url.scheme' | 'url.malformed' | HostReason;

export const urlReasonMessagesZh: Record<UrlReason, string> = {
  'url.empty': '请输入网址',
  'url.scheme': '网址只能以 http:// 或 https:// 开头',
  'url.malformed': '网址格式不正确',
  'domain.no_dot': '网址的主机名至少包含一个点，如 example.com',
  'domain.too_long': '网址的主机名总长度不能超过253个字符',
  'domain.empty_label': '网址的主机名中有连续的点',
  'domain.label_length': '网址主机名的每一段不能超过63个字符',
  'domain.characters': '网址的主机名含有不允许的字符',
  'domain.hyphen': '网址主机名的每一段不能以连字符开头或结尾',
  'domain.tld': '网址的顶级域名不正确',
};

export interface WebUrl {
  /** Normalised: lower-case punycode host, no default port, no fragment, no trailing dot on the host. */
  readonly url: string;
  readonly scheme: 'http' | 'https';
  /** ASCII host (punycode for IDN); IPv6 in brackets. */
  readonly host: string;
  readonly hostUnicode: string;
  /** Null for IP hosts. */
  readonly registrableDomain: string | null;
  readonly isIp: boolean;
  /**
   * The URL has user info ('http://bank.com@evil.cn/'): a trick to make the real host look like
   * the text before '@'. The host above is the real one.
   */
  readonly hasUserInfo: boolean;
}

// 'name:' followed by something other than a port number is a scheme ('javascript:…', 'mailto:…');
// 'bank.com:8080/x' is a host with a port and gets http:// prepended.
const SCHEME = /^([a-z][a-z0-9+.-]*):(?!\d+(?:[/?#]|$))/i;

/** A web URL as typed or pasted in a report; a missing scheme means http. */
export function validateUrl(input: string): Validation<WebUrl> {
  const trimmed = input.trim();
  if (trimmed === '') return invalid('url.empty', 'The URL is empty.');
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return invalid('url.scheme', `Only http and https URLs are accepted, not ${scheme}:.`);
  }
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `http://${trimmed.replace(/^\/\//, '')}` : trimmed);
  } catch {
    return invalid('url.malformed', `${trimmed} is not a valid URL.`);
  }
  const host = url.hostname.replace(/\.$/, '');
  if (host === '') return invalid('url.malformed', `${trimmed} has no host.`);
  const isIp = isIpHost(host);
  if (!isIp) {
    const problem = checkHostname(host);
    if (problem) return invalid(problem.reason, problem.message);
  }
  url.hostname = host;
  url.hash = '';
  return valid({
    url: url.href,
    scheme: url.protocol === 'https:' ? 'https' : 'http',
    host,
    hostUnicode: isIp ? host : hostToUnicode(host),
    registrableDomain: isIp ? null : registrableDomainOf(host),
    isIp,
    hasUserInfo: url.username !== '' || url.password !== '',
  });
}

// Imported by file: a bare 'punycode' would give Node's deprecated built-in module, not the npm package.
import punycode from 'punycode/punycode.js';
import { invalid, valid, type Validation } from './result';

export type HostReason =
  | 'domain.no_dot'
  | 'domain.too_long'
  | 'domain.empty_label'
  | 'domain.label_length'
  | 'domain.characters'
  | 'domain.hyphen'
  | 'domain.tld';

export type DomainReason = HostReason | 'domain.empty' | 'domain.malformed' | 'domain.is_ip';

export const domainReasonMessagesZh: Record<DomainReason, string> = {
  'domain.empty': '请输入域名',
  'domain.malformed': '域名格式不正确',
  'domain.is_ip': '这是IP地址，不是域名',
  'domain.no_dot': '域名至少包含一个点，如 example.com',
  'domain.too_long': '域名总长度不能超过253个字符',
  'domain.empty_label': '域名中有连续的点或空的部分',
  'domain.label_length': '域名的每一段不能超过63个字符',
  'domain.characters': '域名只能包含字母、数字、连字符和中文等国际化字符',
  'domain.hyphen': '域名的每一段不能以连字符开头或结尾',
  'domain.tld': '顶级域名不正确',
};

export interface DomainName {
  /** Lower-case ASCII (IDN labels in punycode), without a trailing dot. */
  readonly host: string;
  /** The same name with punycode labels shown in Unicode, for staff to read. */
  readonly hostUnicode: string;
  /** The name a registrant controls: 'evil.com.cn' for 'a.b.evil.com.cn'. */
  readonly registrableDomain: string;
}

// Second-level public suffixes likely to appear in Guizhou reports: mainland China (including the
// provincial ones such as gz.cn), Hong Kong, Macao, Taiwan, Southeast Asia and a few others.
// Not the full Public Suffix List: enough to group indicators by registrant.
const TWO_LEVEL_SUFFIXES = new Set(
  [
    'com.cn net.cn org.cn gov.cn edu.cn ac.cn mil.cn xn--55qx5d.cn xn--io0a7i.cn',
    'bj.cn sh.cn tj.cn cq.cn he.cn sx.cn nm.cn ln.cn jl.cn hl.cn js.cn zj.cn ah.cn fj.cn jx.cn sd.cn',
    'ha.cn hb.cn hn.cn gd.cn gx.cn hi.cn sc.cn gz.cn yn.cn xz.cn sn.cn gs.cn qh.cn nx.cn xj.cn',
    'com.hk net.hk org.hk gov.hk edu.hk idv.hk com.mo net.mo org.mo gov.mo',
    'com.tw net.tw org.tw gov.tw edu.tw idv.tw',
    'co.uk org.uk ac.uk gov.uk me.uk com.au net.au org.au co.nz co.jp ne.jp or.jp co.kr or.kr',
    'com.sg com.my com.ph com.vn com.kh com.mm com.la co.th in.th co.id',
    'com.br com.tr co.in com.ru',
  ].flatMap((line) => line.split(' ')),
);

export function registrableDomainOf(host: string): string {
  const labels = host.split('.');
  const lastTwo = labels.slice(-2).join('.');
  return TWO_LEVEL_SUFFIXES.has(lastTwo) && labels.length > 2 ? labels.slice(-3).join('.') : lastTwo;
}

export function isIpHost(host: string): boolean {
  return host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

/** Host-name rules for an ASCII host without its trailing dot; undefined when it passes. */
export function checkHostname(host: string): { reason: HostReason; message: string } | undefined {
  if (host.length > 253) {
    return {
      reason: 'domain.too_long',
      message: `The host name has ${host.length} characters; at most 253 are allowed.`,
    };
  }
  const labels = host.split('.');
  if (labels.length < 2) {
    return {
      reason: 'domain.no_dot',
      message: `The host name ${host} has no dot; a public host name needs one.`,
    };
  }
  for (const label of labels) {
    if (label === '') {
      return {
        reason: 'domain.empty_label',
        message: `The host name ${host} has an empty label (two dots in a row).`,
      };
    }
    if (label.length > 63) {
      return {
        reason: 'domain.label_length',
        message: `The label ${label.slice(0, 20)}… has ${label.length} characters; at most 63 are allowed.`,
      };
    }
    // Underscores are not valid in host names, but browsers resolve them and fraud sites use them,
    // so an indicator with one must still be recordable.
    if (!/^[a-z0-9_-]+$/.test(label)) {
      return {
        reason: 'domain.characters',
        message: `The label ${label} contains characters not allowed in a host name.`,
      };
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return { reason: 'domain.hyphen', message: `The label ${label} starts or ends with a hyphen.` };
    }
  }
  const tld = labels[labels.length - 1] ?? '';
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(tld)) {
    return { reason: 'domain.tld', message: `The top-level domain ${tld} is not valid.` };
  }
  return undefined;
}

/** Unicode form for display; falls back to the ASCII form if a label is not valid punycode. */
export function hostToUnicode(host: string): string {
  try {
    return punycode.toUnicode(host);
  } catch {
    return host;
  }
}

/** A bare domain name such as 'Bank.example.com.' or '例子.中国' (no scheme, port or path). */
export function validateDomain(input: string): Validation<DomainName> {
  const trimmed = input.trim();
  if (trimmed === '') return invalid('domain.empty', 'The domain name is empty.');
  if (/[/?#@:\\\s]/.test(trimmed)) {
    return invalid('domain.malformed', 'A domain name has no scheme, user info, port, path or spaces.');
  }
  let parsed: string;
  try {
    // The WHATWG URL parser applies the IDNA mapping (lower-case, full-width forms, punycode).
    parsed = new URL(`http://${trimmed}`).hostname;
  } catch {
    const last = trimmed.replace(/\.$/, '').split('.').pop() ?? '';
    return /^\d+$/.test(last) && trimmed.includes('.') && !/^[\d.]+$/.test(trimmed)
      ? invalid('domain.tld', `The top-level domain ${last} is not valid.`)
      : invalid('domain.malformed', `${trimmed} is not a valid domain name.`);
  }
  const host = parsed.replace(/\.$/, '');
  if (isIpHost(host)) return invalid('domain.is_ip', `${trimmed} is an IP address, not a domain name.`);
  const problem = checkHostname(host);
  if (problem) return invalid(problem.reason, problem.message);
  return valid({ host, hostUnicode: hostToUnicode(host), registrableDomain: registrableDomainOf(host) });
}

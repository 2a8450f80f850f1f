import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where fanzha may send a bank's webhook. A key's webhook URL is chosen by whoever holds an admin session, so
 * it must not become a way to make the centre's server call its own database, broker or cloud metadata
 * (server-side request forgery): https to public addresses only, checked again at every connection, after DNS
 * resolution, so a name that later resolves to a private address is refused too. An operator may allow
 * specific origins (a bank's gateway on a private link, a test endpoint) with FANZHA_WEBHOOK_ALLOW.
 */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is loopback, private, link-local, multicast or otherwise not on the internet. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family === 6) {
    // An IPv4 address mapped into IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    return mapped ? internal.check(mapped, 'ipv4') : internal.check(address, 'ipv6');
  }
  return true;
}

export type TargetProblem = { reason: 'not_https' | 'internal_address' | 'invalid_url'; message: string };

/** The URL's own problems (scheme, literal address); names are checked again when they resolve. */
export function webhookUrlProblem(url: string, allow: readonly string[]): TargetProblem | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { reason: 'invalid_url', message: 'not a URL' };
  }
  if (allow.includes(u.origin)) return undefined;
  if (u.protocol !== 'https:')
    return { reason: 'not_https', message: 'webhooks are delivered over https only' };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isInternalAddress(host)))
    return {
      reason: 'internal_address',
      message: 'a loopback, private or link-local address is refused (the operator may allow it)',
    };
  return undefined;
}

/** A DNS lookup for the connection that refuses internal addresses, so the check and the connection agree. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses;
    const bad = list.find((a) => isInternalAddress(a.address));
    if (bad || list.length === 0)
      return callback(
        Object.assign(new Error(`webhook host ${hostname} resolves to an internal address`), {
          code: 'EINTERNALADDRESS',
        }),
        '',
        4,
      );
    if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

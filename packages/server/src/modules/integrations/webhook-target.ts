import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where fanzha may send a bank's webhook. A key's webhook URL is chosen by whoever holds an admin session, so
 * it must not become a way to make the centre's server call its own database, broker or cloud metadata
 * (server-side request forgery): https to public addresses only (an IPv6 form that carries an internal IPv4
 * address is internal too), checked again at every connection, after DNS resolution, so a name that later
 * resolves to a private address is refused too. An operator may allow specific origins (a bank's gateway on a
 * private link, a test endpoint) with FANZHA_WEBHOOK_ALLOW. A new key's URL may carry no username or password.
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
  // Documentation (TEST-NET-1, -2, -3) and the retired 6to4 relay anycast: never a bank's gateway.
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  // NAT64's local-use prefix (RFC 8215): never on the internet, and where the IPv4 address sits varies.
  ['64:ff9b:1::', 48],
  // Discard-only (RFC 6666), Teredo (its IPv4 server and client addresses sit obscured in the address: refused
  // whole), benchmarking, ORCHIDv2 and documentation: none is a bank's gateway on the internet.
  ['100::', 64],
  ['2001::', 32],
  ['2001:2::', 48],
  ['2001:20::', 28],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(net, prefix, 'ipv6');

/** An IPv6 address's 16 bytes (`isIP` has said it is one; a zone such as `%eth0` is dropped). */
function ipv6Bytes(address: string): number[] {
  const text = address
    .split('%')[0]!
    .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
      [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((n) => n.toString(16)).join(':'),
    );
  const [head = '', tail] = text.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? before
      : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * The IPv4 address an IPv6 address carries, where the IPv6 form reaches that IPv4 address: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64's
 * well-known prefix (`64:ff9b::a.b.c.d`) and 6to4 (`2002:aabb:ccdd::`, the IPv4 address in bits 16–48).
 */
function embeddedIpv4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const ipv4At = (i: number) => b.slice(i, i + 4).join('.');
  if (zero(0, 10) && ((b[10] === 0 && b[11] === 0) || (b[10] === 0xff && b[11] === 0xff))) return ipv4At(12);
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return ipv4At(12);
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return ipv4At(12);
  if (b[0] === 0x20 && b[1] === 0x02) return ipv4At(2);
  return undefined;
}

/**
 * Whether an IP address is loopback, private, link-local, multicast or otherwise not on the internet. An IPv6
 * address that carries an IPv4 address (see `embeddedIpv4`) is internal when that IPv4 address is.
 */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family === 6) {
    if (internal.check(address, 'ipv6')) return true;
    const ipv4 = embeddedIpv4(address);
    return ipv4 !== undefined && internal.check(ipv4, 'ipv4');
  }
  return true;
}

export type TargetProblem = {
  reason: 'not_https' | 'internal_address' | 'invalid_url' | 'credentials';
  message: string;
};

/**
 * What is wrong with a new key's webhook URL: a username or password in it (it would be shown in full in the
 * key list and the audit trail; the endpoint tells fanzha by the delivery's signature), then its target. Only
 * a new key's URL is refused for credentials: deliveries to a URL already stored go on as before.
 */
export function webhookUrlProblem(url: string, allow: readonly string[]): TargetProblem | undefined {
  const target = webhookTargetProblem(url, allow);
  if (target?.reason === 'invalid_url') return target;
  const u = new URL(url);
  if (u.username !== '' || u.password !== '')
    return { reason: 'credentials', message: 'a webhook URL must not carry a username or password' };
  return target;
}

/**
 * The target's own problems (scheme, literal address), when a key is created and again at each delivery;
 * names are checked when they resolve (`publicOnlyLookup`).
 */
export function webhookTargetProblem(url: string, allow: readonly string[]): TargetProblem | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { reason: 'invalid_url', message: 'not a URL' };
  }
  if (allow.includes(u.origin)) return undefined;
  if (u.protocol !== 'https:')
    return { reason: 'not_https', message: 'webhooks are delivered over https only' };
  // `[::1]` is `::1`, and `localhost.` (the fully qualified name) is `localhost`.
  const host = u.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isInternalAddress(host)))
    return {
      reason: 'internal_address',
      message: 'a loopback, private or link-local address is refused (the operator may allow it)',
    };
  return undefined;
}

/** How `publicOnlyLookupWith` resolves a name: every address, as `dns.lookup` with `all: true` answers. */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A DNS lookup for the connection that refuses internal addresses (`isInternalAddress`, on every address of
 * the answer), so the check and the connection agree.
 */
export function publicOnlyLookupWith(resolve: ResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, list) => {
      if (err) return callback(err, '', 4);
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
}

/** The connection's lookup: the system resolver's answer, public addresses only. */
export const publicOnlyLookup: LookupFunction = publicOnlyLookupWith(dnsLookup);

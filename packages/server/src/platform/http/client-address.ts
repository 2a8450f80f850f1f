import { isIPv6 } from 'node:net';

/**
 * The client's address as counted by every limit (sign-in throttling, rate limits): IPv4 as is (also when
 * mapped into IPv6), IPv6 by its first 64 bits, which one client can fill by itself. `ip` is the address
 * Fastify resolved: the peer, or the forwarded client behind a proxy listed in FANZHA_TRUST_PROXY.
 */
export function addressKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Whether the address is this machine's own (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopback(ip: string | null): boolean {
  if (!ip) return false;
  return ip === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(ip);
}

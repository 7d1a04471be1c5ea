import { isIPv4, isIPv6 } from 'node:net';

/** IPv6 text to eight 16-bit groups (`::` expanded, zone id dropped). */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.replace(/%.*$/, '').split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}

/**
 * The unit a limit counts a client by: the IPv4 address itself, or the IPv6 prefix it belongs to.
 * One IPv6 host usually holds a whole /64, so counting single addresses would give it 2^64 tries.
 */
export function clientAddressKey(ip: string | null, ipv6Prefix: number): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  if (isIPv4(address)) return address;
  if (!isIPv6(address) || address.includes('.')) return 'unknown';
  const groups = ipv6Groups(address);
  const kept = groups.map((group, index) => {
    const bitsBefore = index * 16;
    if (bitsBefore >= ipv6Prefix) return 0;
    const keep = Math.min(16, ipv6Prefix - bitsBefore);
    return group & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${kept.map((group) => group.toString(16)).join(':')}/${ipv6Prefix}`;
}

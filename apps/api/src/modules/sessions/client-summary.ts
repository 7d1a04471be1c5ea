import { isIPv4, isIPv6 } from 'node:net';

/**
 * What a session list shows about the device: enough to recognise it ("Firefox 132 on Linux"),
 * not a fingerprint. Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
 */
const BROWSERS: Array<[string, RegExp]> = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//],
  ['curl', /^curl\/(\d+)/],
  ['Node.js', /^(?:node|undici)(?:-fetch)?(?:\/(\d+))?/i],
];
const SYSTEMS: Array<[string, RegExp]> = [
  ['iOS', /iPhone|iPad|iPod/],
  ['Android', /Android/],
  ['ChromeOS', /CrOS/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['Linux', /Linux/],
];

/**
 * The parts a device description is made of: browser with its major version ("Chrome 131") and
 * system, each null when not recognised, and for a client neither is recognised in, a short,
 * printable excerpt of its header (null when there is nothing printable, or no header).
 */
export interface UserAgentParts {
  browser: string | null;
  system: string | null;
  excerpt: string | null;
}

export function userAgentParts(userAgent: string | null): UserAgentParts {
  if (!userAgent) return { browser: null, system: null, excerpt: null };
  let browser: string | null = null;
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(userAgent);
    if (match) {
      browser = match[1] ? `${name} ${match[1]}` : name;
      break;
    }
  }
  const system = SYSTEMS.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? null;
  if (browser || system) return { browser, system, excerpt: null };
  // Unknown clients: a short, printable excerpt rather than an arbitrarily long header.
  const printable = userAgent.replace(/[^\x20-\x7e]/g, '').trim();
  return { browser, system, excerpt: printable ? printable.slice(0, 60) : null };
}

/** The description the API shows (session lists, security events): English, "Firefox 132 on Linux". */
export function summariseUserAgent(userAgent: string | null): string | null {
  const { browser, system, excerpt } = userAgentParts(userAgent);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? excerpt;
}

/** IPv6 text to eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Coarse network location: the /24 of an IPv4 address, the /48 of an IPv6 one. Shows "same network
 * as before" without keeping the exact address on screen.
 */
export function coarseIp(ip: string | null): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const address = mapped ?? ip;
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(address) && !address.includes('.')) {
    const groups = ipv6Groups(address.replace(/%.*$/, '')).slice(0, 3);
    return `${groups.map((group) => group.toString(16)).join(':')}::/48`;
  }
  return null;
}

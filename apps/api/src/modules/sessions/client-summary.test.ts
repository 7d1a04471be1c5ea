import { describe, expect, it } from 'vitest';
import { coarseIp, summariseUserAgent } from './client-summary.js';

describe('session client summary', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
      'Edge 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      'Safari 18 on macOS',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      'Chrome 131 on Android',
    ],
    ['curl/8.5.0', 'curl 8'],
    ['x'.repeat(500), 'x'.repeat(60)],
    [null, null],
  ])('%s', (ua, expected) => {
    expect(summariseUserAgent(ua)).toBe(expected);
  });

  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:192.0.2.5', '192.0.2.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['not-an-ip', null],
    [null, null],
  ])('coarse ip of %s', (ip, expected) => {
    expect(coarseIp(ip)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { describeSignIn } from './device-description.js';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const UNKNOWN_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Obscure/3.1';

describe('a sign-in described for a notice', () => {
  it.each([
    [CHROME_WINDOWS, '203.0.113.7', 'en', { device: 'Chrome 131 on Windows', network: '203.0.113.0/24' }],
    [CHROME_WINDOWS, '203.0.113.7', 'fr', { device: 'Chrome 131 sous Windows', network: '203.0.113.0/24' }],
    [UNKNOWN_ON_LINUX, null, 'en', { device: 'an unknown browser on Linux', network: 'unknown' }],
    [UNKNOWN_ON_LINUX, null, 'fr', { device: 'navigateur inconnu sous Linux', network: 'inconnu' }],
    ['curl/8.5.0', '2001:db8:1:2::9', 'fr', { device: 'curl 8', network: '2001:db8:1::/48' }],
    [null, 'not an address', 'fr', { device: 'appareil non identifié', network: 'inconnu' }],
    [null, null, null, { device: 'an unidentified device', network: 'unknown' }],
    // A client we recognise nothing in keeps its own words: they have no language.
    ['MyApp/1.0', '203.0.113.7', 'fr', { device: 'MyApp/1.0', network: '203.0.113.0/24' }],
  ] as const)('%s from %s in %s', (userAgent, ip, locale, expected) => {
    expect(describeSignIn(userAgent, ip, locale)).toEqual(expected);
  });
});

import { DEFAULT_LOCALE, type Locale } from '../base/locale.js';
import { coarseIp, userAgentParts } from '../sessions/client-summary.js';

/** The words around a device's names in a notice, per locale; product names are never translated. */
interface DevicePhrases {
  /** A browser on a system: "Chrome 131 on Windows". */
  on(browser: string, system: string): string;
  /** A system whose browser was not recognised. */
  unknownBrowser: string;
  /** No user-agent header at all. */
  unknownDevice: string;
  /** No address, or one that is neither IPv4 nor IPv6. */
  unknownNetwork: string;
}

const PHRASES: Record<Locale, DevicePhrases> = {
  en: {
    on: (browser, system) => `${browser} on ${system}`,
    unknownBrowser: 'an unknown browser',
    unknownDevice: 'an unidentified device',
    unknownNetwork: 'unknown',
  },
  fr: {
    on: (browser, system) => `${browser} sous ${system}`,
    unknownBrowser: 'navigateur inconnu',
    unknownDevice: 'appareil non identifié',
    unknownNetwork: 'inconnu',
  },
};

/**
 * The device and network of a sign-in, as a notice in `locale` names them: "Chrome 131 sous
 * Windows", "navigateur inconnu sous Linux", network "203.0.113.0/24". A client recognised by
 * neither browser nor system keeps an excerpt of its own header, which has no language.
 */
export function describeSignIn(
  userAgent: string | null,
  ip: string | null,
  locale: Locale | null,
): { device: string; network: string } {
  const phrases = PHRASES[locale ?? DEFAULT_LOCALE];
  const { browser, system, excerpt } = userAgentParts(userAgent);
  const device =
    browser && system
      ? phrases.on(browser, system)
      : system
        ? phrases.on(phrases.unknownBrowser, system)
        : (browser ?? excerpt ?? phrases.unknownDevice);
  return { device, network: coarseIp(ip) ?? phrases.unknownNetwork };
}

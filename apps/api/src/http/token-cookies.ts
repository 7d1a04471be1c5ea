import { randomBytes } from 'node:crypto';
import type { CookieOptions, Response } from 'express';
import type { CookieSettings } from '../config.js';
import type { ResponseCookies } from '../modules/base/graphql-context.js';

/** Bearer mode: no request ever gets or loses a cookie. */
export const NO_COOKIES: ResponseCookies = {
  setPair: () => false,
  rotateCsrf: () => undefined,
  clearAccess: () => undefined,
  clearRefresh: () => undefined,
};

/** The token cookies a request carried (cookie mode only). */
export interface CookieCredentials {
  accessToken: string | null;
  refreshToken: string | null;
  csrfToken: string | null;
}

export function readCookieCredentials(
  settings: CookieSettings,
  cookies: Map<string, string>,
): CookieCredentials {
  return {
    accessToken: cookies.get(settings.accessName) || null,
    refreshToken: cookies.get(settings.refreshName) || null,
    csrfToken: cookies.get(settings.csrfName) || null,
  };
}

function baseOptions(settings: CookieSettings): CookieOptions {
  return {
    path: settings.path,
    sameSite: settings.sameSite,
    secure: settings.secure,
    ...(settings.domain ? { domain: settings.domain } : {}),
  };
}

/**
 * The double-submit CSRF cookie: random, readable by the page's scripts (not httpOnly) so the app
 * can echo it in `x-csrf-token`; another site can neither read it nor set the header. Issued on
 * any response of cookie mode that arrived without one, so a client can never be locked out.
 */
export function ensureCsrfCookie(res: Response, settings: CookieSettings, present: string | null): void {
  if (present) return;
  issueCsrfCookie(res, settings);
}

/** A new random CSRF cookie, replacing one this response already set (one Set-Cookie per name). */
function issueCsrfCookie(res: Response, settings: CookieSettings): void {
  const previous = res.getHeader('set-cookie');
  if (previous !== undefined) {
    const kept = [previous]
      .flat()
      .map(String)
      .filter((cookie) => !cookie.startsWith(`${settings.csrfName}=`));
    if (kept.length > 0) res.setHeader('set-cookie', kept);
    else res.removeHeader('set-cookie');
  }
  res.cookie(settings.csrfName, randomBytes(32).toString('base64url'), {
    ...baseOptions(settings),
    httpOnly: false,
    maxAge: 365 * 24 * 3600 * 1000,
  });
}

/**
 * Cookie mode: the only code that writes token cookies (both httpOnly, each with its token's lifetime).
 * A bearer client (see `request-credentials.ts`) gets its pair in the body: `setPair` writes nothing
 * and says so, while sign-out still clears any token cookies.
 */
export function createTokenCookieJar(
  res: Response,
  settings: CookieSettings,
  client: 'cookie' | 'bearer' = 'cookie',
): ResponseCookies {
  const options = { ...baseOptions(settings), httpOnly: true };
  return {
    setPair({ token, accessMaxAgeMs, refreshToken, refreshMaxAgeMs }) {
      if (client === 'bearer') return false;
      res.cookie(settings.accessName, token, { ...options, maxAge: Math.max(0, accessMaxAgeMs) });
      res.cookie(settings.refreshName, refreshToken, { ...options, maxAge: Math.max(0, refreshMaxAgeMs) });
      return true;
    },
    rotateCsrf() {
      if (client === 'cookie') issueCsrfCookie(res, settings);
    },
    clearAccess() {
      res.clearCookie(settings.accessName, options);
    },
    clearRefresh() {
      res.clearCookie(settings.refreshName, options);
    },
  };
}

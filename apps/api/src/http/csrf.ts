import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { CookieSettings } from '../config.js';

/** The header a browser app echoes the CSRF cookie in. Custom headers cannot be sent cross-site. */
export const CSRF_HEADER = 'x-csrf-token';

export type CsrfVerdict = { ok: true } | { ok: false; reason: 'origin' | 'token' };

/**
 * Checks a request that would act on cookie credentials: the Origin (when the browser sends one)
 * must be the API's own or a trusted one, and `x-csrf-token` must equal the CSRF cookie
 * (double submit). A cross-site form or fetch fails both.
 */
export function checkCsrf(req: Request, settings: CookieSettings, csrfCookie: string | null): CsrfVerdict {
  const origin = req.get('origin');
  if (origin !== undefined) {
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    if (origin !== own && !settings.trustedOrigins.includes(origin)) return { ok: false, reason: 'origin' };
  }
  const header = req.get(CSRF_HEADER);
  if (!header || !csrfCookie) return { ok: false, reason: 'token' };
  const a = Buffer.from(header);
  const b = Buffer.from(csrfCookie);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'token' };
  return { ok: true };
}

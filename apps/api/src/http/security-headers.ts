import helmet from 'helmet';

/**
 * Helmet's defaults on every response: a strict Content-Security-Policy (the API serves JSON; the
 * GraphiQL page sets its own policy), no MIME sniffing, no framing, HSTS, no referrer leaks.
 */
export function securityHeaders() {
  return helmet();
}

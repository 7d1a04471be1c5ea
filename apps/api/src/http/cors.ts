import cors, { type CorsOptions } from 'cors';
import type { RequestHandler } from 'express';
import { CSRF_HEADER } from './csrf.js';
import { TOKEN_DELIVERY_HEADER } from './request-credentials.js';

/**
 * CORS for front ends on another origin, with the `cors` package (the Express project's own). Only
 * the origins in the allowlist (CSRF_TRUSTED_ORIGINS, default the origin of PUBLIC_APP_URL) get CORS
 * headers, and only they get `Access-Control-Allow-Credentials`: any other origin's page can neither
 * read an answer nor send cookies with a preflighted request. Same-origin requests need none of this.
 */
export function corsRoutes(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  const forAllowed: CorsOptions = {
    origin: true, // reflects the request's origin, which was just found in the allowlist
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'accept', 'authorization', CSRF_HEADER, TOKEN_DELIVERY_HEADER],
    maxAge: 600,
  };
  return cors((req, callback) => {
    const origin = req.headers.origin;
    callback(null, origin !== undefined && allowed.has(origin) ? forAllowed : { origin: false });
  });
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Helmet's defaults on every response: a strict Content-Security-Policy (the API serves JSON; the
 * GraphiQL page sets its own policy), no MIME sniffing, no framing, HSTS, no referrer leaks.
 *
 * Helmet's defaults do not depend on the request (no nonces), so its thirteen middlewares run once,
 * at start-up, against a recorder, and each request gets the recorded headers in one step.
 */
export function securityHeaders(): RequestHandler {
  const headers = new Map<string, string | number | readonly string[]>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, value);
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name);
      removed.push(name);
    },
  };
  let finished = false;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Helmet calls `next` synchronously; if a version ever did not, the recording would be partial.
  if (!finished) throw new Error('helmet did not finish synchronously: security headers not recorded');
  const recorded = [...headers];
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of recorded) res.setHeader(name, value);
    next();
  };
}

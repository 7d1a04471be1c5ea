import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';
import { requestErrorBody } from '../modules/base/errors/request-errors.js';
import { negotiateLocale } from '../modules/base/locale.js';
import type { RateLimits } from '../modules/rate-limit/rate-limits.js';

/**
 * The ceiling on every /graphql request of one client (IPv6 by prefix), before the body is parsed.
 * Over it: 429 with `Retry-After`, GraphQL-shaped, `extensions.code` RATE_LIMITED and `retryAfter`.
 * A failing counter store lets requests through (logged): the per-operation limits and the server's
 * own timeouts still stand, and an outage of Redis must not take sign-in down with it.
 */
export function requestRateLimit(limits: Pick<RateLimits, 'request'>, logger: Logger) {
  return async (req: Request, res: Response, next: NextFunction) => {
    let verdict: Awaited<ReturnType<RateLimits['request']>>;
    try {
      verdict = await limits.request(req.ip ?? null);
    } catch (error) {
      logger.warn({ requestId: res.locals.requestId, err: error }, 'request rate limit unavailable');
      return next();
    }
    if (verdict.allowed) return next();
    res.setHeader('retry-after', String(verdict.retryAfterSeconds));
    const body = requestErrorBody(
      'RATE_LIMITED',
      'Too many requests. Try again later.',
      negotiateLocale(req.get('accept-language')),
    );
    res.status(429).json({
      errors: body.errors.map((error) => ({
        ...error,
        extensions: { ...error.extensions, retryAfter: verdict.retryAfterSeconds },
      })),
    });
  };
}

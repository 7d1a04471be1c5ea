import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

const CLIENT_REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The caller's own `x-request-id`, when well-formed: kept for correlation with the caller's logs,
 * never as the server's id (any client could otherwise choose, reuse or collide the ids the server
 * logs its requests under).
 */
export function clientRequestIdOf(req: Request): string | undefined {
  const incoming = req.get('x-request-id');
  return incoming && CLIENT_REQUEST_ID_PATTERN.test(incoming) ? incoming : undefined;
}

/**
 * Gives every request a server-generated id (answered in `x-request-id`; the caller's own id, if
 * valid, is logged beside it as `clientRequestId`) and writes one structured log line when it
 * finishes. Bodies and credential headers are never logged.
 */
export function requestLogging(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    // Below `info` (LOG_LEVEL=warn in production is common) the line would be dropped: skip the
    // timing and the listener too.
    if (!logger.isLevelEnabled('info')) return next();
    const clientRequestId = clientRequestIdOf(req);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId,
          ...(clientRequestId ? { clientRequestId } : {}),
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}

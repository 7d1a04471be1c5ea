import { timingSafeEqual } from 'node:crypto';
import { context, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import express, { type RequestHandler, Router } from 'express';
import type { Metrics } from '../modules/metrics/metrics.js';

/** Routes are labelled from this closed list (anything else is `other`): bounded series. */
const KNOWN_ROUTES = new Set([
  '/graphql',
  '/graphiql',
  '/healthz',
  '/readyz',
  '/.well-known/jwks.json',
  '/metrics',
]);

const routeOf = (path: string) => (KNOWN_ROUTES.has(path) ? path : 'other');

/**
 * Counts and times every request; with tracing on, runs it in a server span (method, route, status:
 * no query string, no headers) that the GraphQL and SQL spans hang under.
 */
export function observeRequests(metrics: Metrics, tracer: Tracer | null): RequestHandler {
  return (req, res, next) => {
    const route = routeOf(req.path);
    const stop = metrics.httpDuration.startTimer({ method: req.method, route });
    const span = tracer?.startSpan(`${req.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'http.route': route },
    });
    res.once('finish', () => {
      stop();
      metrics.httpRequests.inc({
        method: req.method,
        route,
        status: `${Math.floor(res.statusCode / 100)}xx`,
      });
      span?.setAttribute('http.response.status_code', res.statusCode);
      span?.end();
    });
    if (!span) {
      next();
      return;
    }
    const active = trace.setSpan(context.active(), span);
    // Body parsing continues in stream callbacks: bind them so the span stays the active one.
    context.bind(active, req);
    context.bind(active, res);
    context.with(active, next);
  };
}

/**
 * `GET /metrics` in Prometheus' text format. With a token, only `Authorization: Bearer <token>`
 * reads it (for the public port); without one it is open (the separate, private listener).
 */
export function metricsRoutes(metrics: Metrics, token: string | null): Router {
  const router = Router();
  const expected = token === null ? null : Buffer.from(`Bearer ${token}`);
  router.get('/metrics', async (req, res) => {
    if (expected !== null) {
      const given = Buffer.from(req.get('authorization') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res
          .status(401)
          .set('www-authenticate', 'Bearer')
          .json({ errors: [{ message: 'Unauthorized.' }] });
        return;
      }
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

/** The private listener's app: `/metrics` only (METRICS_PORT). */
export function createMetricsApp(metrics: Metrics): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoutes(metrics, null));
  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found.' }] });
  });
  return app;
}

import express, { type ErrorRequestHandler } from 'express';
import type { WorkerCounts } from './cluster.js';
import { graphqlHandler } from './graphql/http-handler.js';
import { traceRootResolvers } from './graphql/observed-execution.js';
import { assertRegistrationSchema } from './graphql/registration-schema.js';
import { createSchema, type SchemaSources } from './graphql/schema.js';
import { corsRoutes } from './http/cors.js';
import { graphiqlRoutes } from './http/graphiql.js';
import { healthRoutes } from './http/health.js';
import { jwksRoutes } from './http/jwks.js';
import { metricsRoutes, observeRequests } from './http/observability.js';
import { requestLogging } from './http/request-context.js';
import { requestRateLimit } from './http/request-rate-limit.js';
import { securityHeaders } from './http/security-headers.js';
import { requestErrorBody } from './modules/base/errors/request-errors.js';
import { negotiateLocale } from './modules/base/locale.js';
import type { Services } from './services.js';

/** Largest request body accepted; GraphQL documents and variables of this API are far smaller. */
const BODY_LIMIT = '100kb';

/**
 * Builds the Express app from ready services. No environment reads, no `listen`: tests mount it on
 * an ephemeral port, main.ts on the configured one. `schemaSources` (tests only) replaces the
 * generated SDL or resolver map.
 */
export function createApp(
  services: Services,
  schemaSources?: SchemaSources,
  options: { workers?: () => WorkerCounts } = {},
): express.Express {
  const schema = createSchema(schemaSources);
  assertRegistrationSchema(schema, services.config.account.passwordlessRegistration);
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For counts only from the proxies TRUST_PROXY names (rate limits key on req.ip).
  app.set('trust proxy', services.config.limits.server.trustProxy);
  app.use(observeRequests(services.metrics, services.tracer));
  app.use(requestLogging(services.logger));
  app.use(securityHeaders());
  app.use(healthRoutes(services, options.workers));
  app.use(jwksRoutes(services.signingKeys));
  if (services.config.http.graphiql) app.use(graphiqlRoutes(services.logger));
  const metricsToken = services.config.observability.metrics.token;
  if (metricsToken !== null) app.use(metricsRoutes(services.metrics, metricsToken));

  // CORS first: preflights are not rate limited, and a 429 still carries the CORS headers it needs.
  app.use('/graphql', corsRoutes(services.config.cookies.trustedOrigins));
  app.use('/graphql', requestRateLimit(services.rateLimits, services.logger));
  app.use(
    '/graphql',
    express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/graphql-response+json'] }),
  );
  app.all(
    '/graphql',
    graphqlHandler(services, services.tracer ? traceRootResolvers(schema, services.tracer) : schema),
  );

  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'Not found.' }] });
  });
  app.use(badRequestOrMasked(services));
  return app;
}

/**
 * A body that is not JSON, or too large, is the client's fault: a GraphQL-shaped 400/413 that says
 * what is wrong. Anything else is masked as a 500 and logged with the request id.
 */
function badRequestOrMasked(services: Services): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const locale = negotiateLocale(req.get('accept-language'));
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (error?.type === 'entity.parse.failed') {
      res.status(400).json(requestErrorBody('BAD_REQUEST', 'Malformed JSON body.', locale));
      return;
    }
    if (error?.type === 'entity.too.large') {
      res
        .status(413)
        .json(requestErrorBody('PAYLOAD_TOO_LARGE', `Request body larger than ${BODY_LIMIT}.`, locale));
      return;
    }
    if (status >= 400 && status < 500) {
      res.status(status).json(requestErrorBody('BAD_REQUEST', 'Bad request.', locale));
      return;
    }
    services.logger.error({ requestId: res.locals.requestId, err: error }, 'unhandled error');
    res.status(500).json(requestErrorBody('INTERNAL_SERVER_ERROR', 'Unexpected error.', locale));
  };
}

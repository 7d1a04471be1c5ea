import type { Request, Response } from 'express';
import { type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/express';
import { resolveCredentials } from '../http/request-credentials.js';
import { localizeExpectedErrors } from '../modules/base/errors/localize-errors.js';
import { requestError } from '../modules/base/errors/request-errors.js';
import type { GraphQLContext } from '../modules/base/graphql-context.js';
import { negotiateLocale } from '../modules/base/locale.js';
import type { Services } from '../services.js';
import { createContext } from './context.js';
import { observedExecute } from './observed-execution.js';

/**
 * Errors thrown on purpose carry `extensions.code` and are shown as they are. Anything else (a bug,
 * a database outage) is logged with the request id and replaced by a generic message, so stack
 * traces, SQL and secrets never reach clients.
 */
function maskUnexpectedErrors(
  result: ExecutionResult,
  context: GraphQLContext,
  services: Services,
): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const original = error.originalError;
    const expected =
      !original || (original instanceof GraphQLError && original.extensions?.code !== undefined);
    if (expected) return error;
    services.logger.error(
      { requestId: context.request.id, path: error.path, err: original },
      'unexpected error in resolver',
    );
    const masked = requestError('INTERNAL_SERVER_ERROR', 'Unexpected error.', {
      requestId: context.request.id,
    });
    return new GraphQLError(masked.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: masked.extensions,
    });
  });
  return { ...result, errors };
}

type HandlerContext = Record<PropertyKey, unknown>;
const asHandlerContext = (context: GraphQLContext) => context as unknown as HandlerContext;

export function graphqlHandler(services: Services, schema: GraphQLSchema) {
  // graphql-http bounds its context by a record type; ours is open to each module (interfaces merged
  // by declaration), so it travels through graphql-http as a record and is read back as itself.
  return createHandler<HandlerContext>({
    schema,
    execute: observedExecute(schema, services.metrics, services.tracer),
    context: (req, params) => {
      const raw = req.raw as Request;
      const res = req.context.res as Response;
      // Header token, plus the token cookies in cookie mode (CSRF-checked for mutations).
      const auth = resolveCredentials(services, raw, res, params);
      if (!auth.ok) {
        return [
          auth.body,
          { status: 403, statusText: 'Forbidden', headers: { 'content-type': 'application/json' } },
        ];
      }
      return asHandlerContext(
        createContext(
          services,
          {
            id: String(res.locals.requestId),
            ip: raw.ip ?? null,
            userAgent: raw.get('user-agent') ?? null,
            locale: negotiateLocale(raw.get('accept-language')),
          },
          auth.credentials,
          auth.cookies,
        ),
      );
    },
    onOperation: (_req, args, result) => {
      if (!args.contextValue || !('errors' in result || 'data' in result)) return undefined;
      const context = args.contextValue as unknown as GraphQLContext;
      const masked = maskUnexpectedErrors(result as ExecutionResult, context, services);
      const locale = context.request.locale;
      return locale && masked.data
        ? { ...masked, data: localizeExpectedErrors(masked.data, locale) }
        : masked;
    },
  });
}

import type { Request, Response } from 'express';
import { type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/express';
import { resolveCredentials } from '../http/request-credentials.js';
import type { Services } from '../services.js';
import { createContext, type GraphQLContext } from './context.js';

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
    return new GraphQLError('Unexpected error.', {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: context.request.id },
    });
  });
  return { ...result, errors };
}

export function graphqlHandler(services: Services, schema: GraphQLSchema) {
  return createHandler<GraphQLContext>({
    schema,
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
      return createContext(
        services,
        {
          id: String(res.locals.requestId),
          ip: raw.ip ?? null,
          userAgent: raw.get('user-agent') ?? null,
          tokenCookies: auth.tokenCookies,
        },
        auth.credentials.accessToken,
        auth.credentials,
      );
    },
    onOperation: (_req, args, result) => {
      if (!args.contextValue || !('errors' in result || 'data' in result)) return undefined;
      return maskUnexpectedErrors(result as ExecutionResult, args.contextValue, services);
    },
  });
}

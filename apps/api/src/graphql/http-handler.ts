import type { Request, Response } from 'express';
import { type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/express';
import { isDependencyUnavailable } from '../dependencies/unavailable.js';
import { resolveCredentials } from '../http/request-credentials.js';
import { localizeExpectedErrors } from '../modules/base/errors/localize-errors.js';
import { requestError } from '../modules/base/errors/request-errors.js';
import type { GraphQLContext } from '../modules/base/graphql-context.js';
import { negotiateLocale } from '../modules/base/locale.js';
import type { Services } from '../services.js';
import { createContext } from './context.js';
import { createDocumentCache } from './document-cache.js';
import { inputTextRule } from './input-text.js';
import { observedExecute } from './observed-execution.js';
import { limitedParse, queryLimitRules } from './query-limits.js';
import { requestErrorResponse } from './request-errors.js';
import { serviceBusyError, serviceBusyResponse } from './service-busy.js';
import { asUnavailableResponse, unavailableError } from './unavailable-answer.js';

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
    const busy = serviceBusyError(original);
    if (busy)
      return new GraphQLError(busy.message, {
        nodes: error.nodes,
        path: error.path,
        extensions: busy.extensions,
      });
    if (isDependencyUnavailable(original)) return unavailableError(error, context, services);
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
  const limits = services.config.limits.query;
  const limitRules = queryLimitRules(limits);
  // graphql-http bounds its context by a record type; ours is open to each module (interfaces merged
  // by declaration), so it travels through graphql-http as a record and is read back as itself.
  // Parsed and validated once per distinct document text (bounded LRU): see document-cache.ts.
  const documents = createDocumentCache({ parse: limitedParse(limits), documentRules: limitRules });
  return createHandler<HandlerContext>({
    schema,
    // Query cost is bounded while parsing and validating, before any resolver runs. Both are
    // remembered per document text (document-cache.ts); the variables' text check runs every time.
    parse: documents.parse,
    validate: documents.validate,
    validationRules: (_req, args, specified) => [
      ...specified,
      ...limitRules,
      inputTextRule(args.variableValues),
    ],
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
    onOperation: (req, args, result) => {
      if (!args.contextValue || !('errors' in result || 'data' in result)) return undefined;
      const badRequest = requestErrorResponse(result as ExecutionResult, req.headers);
      if (badRequest) return badRequest;
      const context = args.contextValue as unknown as GraphQLContext;
      const masked = maskUnexpectedErrors(result as ExecutionResult, context, services);
      const locale = context.request.locale;
      const answer =
        locale && masked.data ? { ...masked, data: localizeExpectedErrors(masked.data, locale) } : masked;
      return serviceBusyResponse(answer, (req.raw as Request).get('accept')) ?? asUnavailableResponse(answer);
    },
  });
}

import type { Request, Response } from 'express';
import { type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import { createHandler, type Request as GraphQLHttpRequest } from 'graphql-http';
import { isDependencyUnavailable } from '../dependencies/unavailable.js';
import { resolveCredentials } from '../http/request-credentials.js';
import { localizeExpectedErrors } from '../modules/base/errors/localize-errors.js';
import { localizeRequestErrorsText } from '../modules/base/errors/localize-request-errors.js';
import { requestError } from '../modules/base/errors/request-errors.js';
import type { GraphQLContext } from '../modules/base/graphql-context.js';
import { type Locale, negotiateLocale, supportedLocale } from '../modules/base/locale.js';
import type { Services } from '../services.js';
import { createContext } from './context.js';
import { createDocumentCache } from './document-cache.js';
import { inputLiteralsRule, inputVariablesRule } from './input-text.js';
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
/** What our Express adapter hands graphql-http: the Express request, and its response to write. */
type HttpRequest = GraphQLHttpRequest<Request, { res: Response }>;

/**
 * The language of this request's answer: Accept-Language when it names one we have, else the
 * stored language of a viewer the request already looked up, else none (English).
 */
function answerLocale(context: GraphQLContext): Locale | null {
  return context.request.locale ?? supportedLocale(context.viewerLanguage());
}

export function graphqlHandler(services: Services, schema: GraphQLSchema) {
  const limits = services.config.limits.query;
  // Rules of the document alone, validated once per document text.
  const documentRules = [...queryLimitRules(limits), inputLiteralsRule];
  // graphql-http bounds its context by a record type; ours is open to each module (interfaces merged
  // by declaration), so it travels through graphql-http as a record and is read back as itself.
  // Parsed and validated once per distinct document text (bounded LRU): see document-cache.ts.
  const documents = createDocumentCache({ parse: limitedParse(limits), documentRules });
  const handle = createHandler<Request, { res: Response }, HandlerContext>({
    schema,
    // Query cost is bounded while parsing and validating, before any resolver runs. Both are
    // remembered per document text (document-cache.ts); the variables' text check runs every time,
    // and walks the document (a second validation pass) only when it found something to report.
    parse: documents.parse,
    validate: documents.validate,
    validationRules: (_req, args, specified) => {
      const variables = inputVariablesRule(args.variableValues);
      return variables ? [...specified, ...documentRules, variables] : [...specified, ...documentRules];
    },
    execute: observedExecute(schema, services.metrics, services.tracer, {
      operationNames: services.config.observability.metrics.operationNames,
    }),
    context: (req, params) => {
      const raw = req.raw;
      const res = req.context.res;
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
      const locale = answerLocale(context);
      // The adapter below translates the request errors of whatever body graphql-http answers.
      if (locale) req.context.res.locals.locale = locale;
      const answer =
        locale && masked.data ? { ...masked, data: localizeExpectedErrors(masked.data, locale) } : masked;
      return serviceBusyResponse(answer, req.raw.get('accept')) ?? asUnavailableResponse(answer);
    },
  });
  // graphql-http's Express adapter, plus one step: request errors (refusals, query limits, outages)
  // in the answer's language. Parse and validation errors come back before any context exists, so
  // Accept-Language alone chooses theirs; after execution the viewer's stored language may too.
  return async (req: Request, res: Response): Promise<void> => {
    const request: HttpRequest = {
      url: req.url,
      method: req.method,
      headers: req.headers,
      // As graphql-http's adapter: the parsed JSON when express.json took it, else the raw text.
      body: () =>
        (req.body as Record<string, unknown> | undefined) ??
        new Promise<string>((resolve) => {
          let text = '';
          req.setEncoding('utf-8');
          req.on('data', (chunk: string) => {
            text += chunk;
          });
          req.on('end', () => resolve(text));
        }),
      raw: req,
      context: { res },
    };
    try {
      const [body, init] = await handle(request);
      const locale: Locale | null =
        (res.locals.locale as Locale | undefined) ?? negotiateLocale(req.get('accept-language'));
      const text = locale && typeof body === 'string' ? localizeRequestErrorsText(body, locale) : body;
      res.writeHead(init.status, init.statusText, init.headers).end(text);
    } catch (error) {
      // graphql-http answers every failure itself; this is a bug in one of our hooks.
      services.logger.error({ requestId: res.locals.requestId, err: error }, 'GraphQL handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        }),
      );
    }
  };
}

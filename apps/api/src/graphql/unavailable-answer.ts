import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Response } from 'graphql-http';
import { describeError } from '../dependencies/safe-error.js';
import { SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE } from '../dependencies/unavailable.js';
import { requestError } from '../modules/base/errors/request-errors.js';
import type { GraphQLContext } from '../modules/base/graphql-context.js';
import type { Services } from '../services.js';

/** Seconds a client should wait before retrying an answer that hit an outage. */
const RETRY_AFTER_SECONDS = 1;

/**
 * A resolver failed because PostgreSQL or Redis did not answer in time: a retryable error with a
 * stable code, logged as a warning (the error is stripped of statement values by the logger).
 */
export function unavailableError(error: GraphQLError, context: GraphQLContext, services: Services) {
  // No stack: during an outage this line repeats per request, and the cause is all that matters.
  const { stack: _stack, ...cause } = describeError(error.originalError);
  services.logger.warn({ requestId: context.request.id, path: error.path, cause }, 'dependency unavailable');
  const answer = requestError(SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE, {
    retryable: true,
    requestId: context.request.id,
  });
  return new GraphQLError(answer.message, {
    nodes: error.nodes,
    path: error.path,
    extensions: answer.extensions,
  });
}

/**
 * An operation with an unavailable-dependency error answers HTTP 503 with `Retry-After`, so
 * clients, proxies and SDK retry logic can tell "try again" from a bug (500) or a refusal (200).
 * Everything else keeps graphql-http's own status.
 */
export function asUnavailableResponse(result: ExecutionResult): ExecutionResult | Response {
  const unavailable = result.errors?.some((error) => error.extensions?.code === SERVICE_UNAVAILABLE);
  if (!unavailable) return result;
  return [
    JSON.stringify(result),
    {
      status: 503,
      statusText: 'Service Unavailable',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'retry-after': String(RETRY_AFTER_SECONDS),
      },
    },
  ];
}

import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Response as GraphQLHttpResponse } from 'graphql-http';
import { HasherBusyError } from '../modules/auth/password-hasher.js';
import { requestError } from '../modules/base/errors/request-errors.js';

/**
 * Capacity refusals (the password hasher's line is full) are retryable, not bugs: they become the
 * SERVICE_BUSY request error, and the whole answer an HTTP 503 with Retry-After, so clients, proxies
 * and load balancers all read "try again shortly". Nothing ran past the refusal: the hash is the
 * first costly step of every operation that needs one.
 */
export function serviceBusyError(original: unknown): GraphQLError | null {
  if (!(original instanceof HasherBusyError)) return null;
  return requestError('SERVICE_BUSY', 'The server is busy; try again shortly.', {
    retryAfterSeconds: original.retryAfterSeconds,
  });
}

/** The 503 answer for a result carrying SERVICE_BUSY, or null to answer as usual. */
export function serviceBusyResponse(
  result: ExecutionResult,
  accept: string | undefined,
): GraphQLHttpResponse | null {
  const busy = result.errors?.find((error) => error.extensions?.code === 'SERVICE_BUSY');
  if (!busy) return null;
  const mediaType = accept?.includes('application/graphql-response+json')
    ? 'application/graphql-response+json'
    : 'application/json';
  return [
    JSON.stringify(result),
    {
      status: 503,
      statusText: 'Service Unavailable',
      headers: {
        'content-type': `${mediaType}; charset=utf-8`,
        'retry-after': String(busy.extensions.retryAfterSeconds ?? 1),
      },
    },
  ];
}

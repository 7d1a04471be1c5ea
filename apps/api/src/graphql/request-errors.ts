import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Response as HandlerResponse, RequestHeaders } from 'graphql-http';
import type { RequestErrorCode } from '../modules/base/errors/request-errors.js';

/** Client-facing messages are cut here: graphql-js echoes rejected variable values in them. */
const MAX_MESSAGE_LENGTH = 300;

function bounded(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

function header(headers: RequestHeaders, name: string): string {
  if (typeof headers.get === 'function') return headers.get(name) ?? '';
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** The media type graphql-http picks: the first acceptable entry of `Accept`, in order. */
function prefersGraphqlResponseJson(accept: string): boolean {
  for (const entry of (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const mediaType = entry.split(';')[0];
    if (mediaType === 'application/graphql-response+json') return true;
    if (mediaType === 'application/json' || mediaType === 'application/*' || mediaType === '*/*')
      return false;
  }
  return false;
}

/**
 * An execution result without `data` is a request error: the operation never started, almost always
 * because a variable did not match its type (`{"e": 123}` for `String!`). Those are the client's
 * fault, so they answer `BAD_USER_INPUT` with a 400, not a masked internal error with a 200.
 * Legacy `application/json` clients keep 200, as the GraphQL-over-HTTP spec asks.
 */
export function requestErrorResponse(
  result: ExecutionResult,
  headers: RequestHeaders,
): HandlerResponse | null {
  if ('data' in result && result.data !== undefined) return null;
  if (!result.errors?.length) return null;
  const errors = result.errors.map(
    (error) =>
      new GraphQLError(bounded(error.message), {
        nodes: error.nodes,
        extensions: { code: 'BAD_USER_INPUT' satisfies RequestErrorCode },
      }),
  );
  const modern = prefersGraphqlResponseJson(header(headers, 'accept'));
  return [
    JSON.stringify({ errors: errors.map((error) => error.toJSON()) }),
    {
      status: modern ? 400 : 200,
      statusText: modern ? 'Bad Request' : 'OK',
      headers: {
        'content-type': modern
          ? 'application/graphql-response+json; charset=utf-8'
          : 'application/json; charset=utf-8',
      },
    },
  ];
}

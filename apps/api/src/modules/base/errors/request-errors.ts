import { GraphQLError } from 'graphql';
import type { RequestErrorCode } from '../../../__generated__/schema-types.generated.js';
import type { Locale } from '../locale.js';
import { localizeRequestMessage } from './localize-request-errors.js';

export type { RequestErrorCode };

/**
 * A GraphQL-level error (a refusal, not an expected failure): `extensions.code` is one of the SDL's
 * `RequestErrorCode`, so the server cannot send a code that clients' types do not know.
 */
export function requestError(
  code: RequestErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * The body of an error answered before GraphQL runs (malformed JSON, CSRF, oversized body), its
 * message in `locale` when given (the request's Accept-Language) and the catalogue has it.
 */
export function requestErrorBody(code: RequestErrorCode, message: string, locale?: Locale | null) {
  const text = locale ? localizeRequestMessage(code, message, locale) : message;
  return { errors: [{ message: text, extensions: { code } }] };
}

/** Refusals several places make with the same words. */
export const REQUEST_ERRORS = {
  unauthenticated: () => requestError('UNAUTHENTICATED', 'You must be signed in to do this.'),
  unknownUser: () => requestError('NOT_FOUND', 'Unknown user.', { argument: 'user' }),
};

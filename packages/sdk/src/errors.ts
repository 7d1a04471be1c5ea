import type { ErrorCode, RequestErrorCode } from './__generated__/graphql.generated.js';
import type { ExpectedError, ExpectedErrors } from './expected-errors.js';

export type { ErrorCode, RequestErrorCode };

/** Anything shaped like an account/token mutation result. */
export interface ResultWithErrors {
  errors?: ExpectedErrors | null;
}

/** Every code in a result's `errors`, field errors and `nonFieldErrors` alike. */
export function errorCodes(result: ResultWithErrors | null | undefined): ErrorCode[] {
  return Object.values(result?.errors ?? {}).flatMap((list) => list.map((error) => error.code));
}

export function hasErrorCode(result: ResultWithErrors | null | undefined, code: ErrorCode): boolean {
  return errorCodes(result).includes(code);
}

/** The first error of one field (or of any field), for showing next to a form input. */
export function firstError(
  result: ResultWithErrors | null | undefined,
  field?: string,
): ExpectedError | null {
  const errors = result?.errors;
  if (!errors) return null;
  const lists = field === undefined ? Object.values(errors) : [errors[field] ?? []];
  return lists.flat()[0] ?? null;
}

/** One entry of a GraphQL response's top-level `errors`. */
export interface GraphQLErrorItem {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/**
 * The server refused the request itself (malformed document, UNAUTHENTICATED or FORBIDDEN on a
 * staff field, CSRF_FAILED, ...). Expected failures are never thrown: they come
 * back in the result's `errors`.
 */
export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  /**
   * `extensions.code` of the first error (the schema's `RequestErrorCode`, e.g. `FORBIDDEN`); null when
   * the server sent none, as for GraphQL syntax and validation errors.
   */
  readonly code: RequestErrorCode | null;
  constructor(
    readonly errors: GraphQLErrorItem[],
    readonly status: number,
  ) {
    super(errors.map((error) => error.message).join('; ') || `GraphQL request failed with HTTP ${status}`);
    const code = errors[0]?.extensions?.code;
    // The server only sends codes of the schema's enum (its catalogue is typed by it).
    this.code = typeof code === 'string' ? (code as RequestErrorCode) : null;
  }
}

/** The server could not be reached or answered something that is not GraphQL. Never signs out. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

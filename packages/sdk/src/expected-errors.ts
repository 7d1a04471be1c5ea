import type { ErrorCode } from './__generated__/graphql.generated.js';

/** One expected failure: a stable code and its human message. */
export interface ExpectedError {
  message: string;
  code: ErrorCode;
  /** With `rate_limited`: seconds to wait before trying again. */
  retryAfter?: number;
}

/** The `errors` field of every account and token mutation, keyed by argument name or `nonFieldErrors`. */
export type ExpectedErrors = Record<string, ExpectedError[]>;

import { type ErrorCode, errorMessages } from './error-catalogue.js';

/** One expected failure, as sent to clients. */
export interface ExpectedError {
  message: string;
  code: ErrorCode;
  /** `rate_limited` only: seconds until a retry can pass. */
  retryAfter?: number;
}

/**
 * The `ExpectedErrors` scalar: failures keyed by argument name, or `nonFieldErrors` when no single
 * argument is at fault. Mirrors django-graphql-auth's `errors` output.
 */
export type ExpectedErrors = Record<string, ExpectedError[]>;

export const NON_FIELD_ERRORS = 'nonFieldErrors';

/** An expected error for `code`, with the catalogue's message unless a more precise one is given. */
export function expectedError(code: ErrorCode, message?: string): ExpectedError {
  return { code, message: message ?? errorMessages[code] };
}

/** Collects field errors so a mutation can report every problem of its input at once. */
export class ErrorCollector {
  private readonly byField = new Map<string, ExpectedError[]>();

  add(field: string, code: ErrorCode, message?: string): this {
    const list = this.byField.get(field) ?? [];
    list.push(expectedError(code, message));
    this.byField.set(field, list);
    return this;
  }

  addAll(field: string, errors: readonly ExpectedError[]): this {
    for (const error of errors) this.add(field, error.code, error.message);
    return this;
  }

  has(field?: string): boolean {
    return field === undefined ? this.byField.size > 0 : this.byField.has(field);
  }

  toJSON(): ExpectedErrors | null {
    return this.byField.size === 0 ? null : Object.fromEntries(this.byField);
  }
}

/** A limit was hit: `rate_limited` with `retryAfter` seconds beside the code (DESIGN §4 item 13). */
export function rateLimited(retryAfterSeconds: number) {
  return {
    success: false as const,
    errors: { [NON_FIELD_ERRORS]: [{ ...expectedError('rate_limited'), retryAfter: retryAfterSeconds }] },
  };
}

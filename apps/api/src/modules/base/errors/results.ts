import type { ErrorCode } from './error-catalogue.js';
import { type ErrorCollector, type ExpectedErrors, expectedError } from './expected-errors.js';

/** The one failure shape of every `success`/`errors` operation: `{ success: false, errors }`. */
export type Failure = { success: false; errors: ExpectedErrors };

/** A failure with one error on `field` (an argument name, or `nonFieldErrors`). */
export function failure(field: string, code: ErrorCode, message?: string): Failure {
  return { success: false, errors: { [field]: [expectedError(code, message)] } };
}

/** A failure carrying every error collected. */
export function failed(errors: ErrorCollector): Failure {
  return { success: false, errors: errors.toJSON() ?? {} };
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as Failure).success === false;
}

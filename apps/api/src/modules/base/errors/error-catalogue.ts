import type { ErrorCode } from '../../../__generated__/schema-types.generated.js';

/**
 * The one catalogue of expected-error messages. Keyed by the SDL's `ErrorCode` enum: a code added to
 * the schema without a message here (or a message for a code the schema lacks) fails `tsc`.
 */
export const errorMessages = {
  unauthenticated: 'Unauthenticated.',
  not_verified: 'Please verify your account.',
  invalid_password: 'Invalid password.',
  invalid_token: 'Invalid token.',
  expired_token: 'Expired token.',
  already_verified: 'Account already verified.',
  email_fail: 'Failed to send email.',
  invalid_credentials: 'Please, enter valid credentials.',
  unique: 'A user with that value already exists.',
  secondary_email_required: 'You need a secondary email to perform this action.',
  password_already_set: 'Password already set for account.',
  required: 'This field is required.',
  invalid: 'Enter a valid value.',
  max_length: 'Ensure this value is not too long.',
  password_mismatch: 'The two password fields didn’t match.',
  password_too_short: 'This password is too short. It must contain at least 8 characters.',
  password_too_common: 'This password is too common.',
  password_entirely_numeric: 'This password is entirely numeric.',
  password_too_similar: 'The password is too similar to the user’s details.',
  password_too_long: 'This password is too long. It must be at most 72 bytes.',
  rate_limited: 'Too many attempts. Try again later.',
} as const satisfies Record<ErrorCode, string>;

export type { ErrorCode };

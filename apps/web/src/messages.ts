import { type ErrorCode, GraphQLRequestError, NetworkError, type RequestErrorCode } from '@gql-auth/sdk';

/** What the UI says for each code. Typed against the API's ErrorCode enum: a new code is a type error here. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  unauthenticated: 'Please sign in first.',
  not_verified: 'Please verify your email address first: follow the link we emailed you.',
  invalid_password: 'That password is not right.',
  invalid_token: 'This link is not valid (it may have been used already). Ask for a new one.',
  expired_token: 'This link has expired. Ask for a new one.',
  already_verified: 'Your account is already verified. You can sign in.',
  email_fail: 'We could not send the email. Please try again later.',
  invalid_credentials: 'Wrong username, email or password.',
  unique: 'This is already taken.',
  secondary_email_required: 'Add a secondary email address first.',
  password_already_set: 'A password is already set for this account.',
  required: 'This field is required.',
  invalid: 'This value is not valid.',
  max_length: 'This is too long.',
  password_mismatch: 'The two passwords do not match.',
  password_too_short: 'The password is too short.',
  password_too_common: 'The password is too common.',
  password_entirely_numeric: 'The password cannot be only digits.',
  password_too_similar: 'The password is too similar to your username or email.',
  password_too_long: 'The password is too long (72 bytes at most).',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
};

/**
 * What the UI says for each GraphQL-level code: a code added to the schema is a type error here.
 * null: the server's own message is written for people (it names the argument at fault).
 */
export const REQUEST_ERROR_MESSAGES: Record<RequestErrorCode, string | null> = {
  UNAUTHENTICATED: 'Please sign in first.',
  FORBIDDEN: 'You are not allowed to do this.',
  NOT_FOUND: null,
  BAD_USER_INPUT: null,
  BAD_REQUEST: 'The request could not be understood. Please reload the page and try again.',
  PAYLOAD_TOO_LARGE: 'That is too much data for one request.',
  CSRF_FAILED: 'Your session could not be confirmed. Please reload the page and try again.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again later.',
  SERVICE_UNAVAILABLE: 'The service is briefly unavailable. Please try again in a moment.',
  RATE_LIMITED: 'Too many requests. Please wait a moment and try again.',
  REQUEST_TIMEOUT: 'The connection was too slow. Please try again.',
  // Query limits: the server's message names the limit; the app's own operations never reach them.
  MAX_TOKENS_EXCEEDED: null,
  MAX_DEPTH_EXCEEDED: null,
  MAX_ALIASES_EXCEEDED: null,
  MAX_ROOT_FIELDS_EXCEEDED: null,
  MAX_DIRECTIVES_EXCEEDED: null,
  MAX_COST_EXCEEDED: null,
  MAX_EXPENSIVE_FIELDS_EXCEEDED: null,
  INTROSPECTION_DISABLED: null,
  SERVICE_BUSY: 'We are busy right now. Please try again in a moment.',
};

/** Words for a thrown error: the request never became an answer with `errors`. */
export function describeFailure(error: unknown): string {
  if (error instanceof NetworkError) return 'Cannot reach the server. Check your connection and try again.';
  if (error instanceof GraphQLRequestError) {
    return (error.code && REQUEST_ERROR_MESSAGES[error.code]) || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

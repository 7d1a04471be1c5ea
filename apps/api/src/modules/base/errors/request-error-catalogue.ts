/**
 * The English text of every GraphQL-level (request) error message this server writes, keyed by the
 * SDL's `RequestErrorCode`, then by case. `{name}` marks a value the message carries (a limit, a
 * field name); the other locales' catalogues have the same keys and placeholders (`tsc` and the
 * i18n test check). The code that raises an error writes this exact English (some of it, GraphQL
 * Armor's limit messages, is not ours to change); `localize-request-errors.ts` matches it at the
 * edge. Messages graphql-js writes itself (unknown fields, bad variables) have no entry: they
 * quote the document and stay in English.
 */
export const requestErrorMessages = {
  UNAUTHENTICATED: {
    signIn: 'You must be signed in to do this.',
    field: '`{field}`: You must be signed in to do this.',
  },
  FORBIDDEN: {
    verify: '`{field}`: Verify your email address first.',
    staff: '`{field}`: Staff only.',
    superuser: '`{field}`: Superusers only.',
    permission: '`{field}`: Needs the `{permission}` permission.',
    superuserAccount: 'Only superusers may change a superuser account.',
  },
  NOT_FOUND: { user: 'Unknown user.' },
  BAD_USER_INPUT: {
    cursor: '`{argument}` is not a valid cursor of this connection.',
    pageSize: '`{argument}` must be a non-negative integer.',
    firstOrLast: 'Give `first` or `last`, not both.',
  },
  BAD_REQUEST: { json: 'Malformed JSON body.', other: 'Bad request.' },
  PAYLOAD_TOO_LARGE: { body: 'Request body larger than {limit}.' },
  CSRF_FAILED: {
    origin: 'Cross-site request refused: origin not allowed.',
    token: 'CSRF check failed: send the CSRF cookie in the x-csrf-token header.',
  },
  INTERNAL_SERVER_ERROR: { unexpected: 'Unexpected error.' },
  SERVICE_UNAVAILABLE: { dependency: 'Service temporarily unavailable' },
  RATE_LIMITED: { requests: 'Too many requests. Try again later.' },
  REQUEST_TIMEOUT: { body: 'Request body too slow.' },
  MAX_TOKENS_EXCEEDED: { limit: 'Token limit of {limit} exceeded: the document is too long.' },
  MAX_DEPTH_EXCEEDED: { limit: 'Query depth limit of {limit} exceeded, found {found}.' },
  MAX_ALIASES_EXCEEDED: { limit: 'Aliases limit of {limit} exceeded, found {found}.' },
  MAX_ROOT_FIELDS_EXCEEDED: { limit: 'Root field limit of {limit} exceeded, found {found}.' },
  MAX_DIRECTIVES_EXCEEDED: { limit: 'Directives limit of {limit} exceeded, found {found}.' },
  MAX_COST_EXCEEDED: { limit: 'Query Cost limit of {limit} exceeded, found {found}.' },
  MAX_EXPENSIVE_FIELDS_EXCEEDED: {
    limit: 'At most {limit} password-hashing or mail-sending field per operation, found {found} ({fields}).',
  },
  INTROSPECTION_DISABLED: { disabled: 'Introspection is disabled on this server.' },
  SERVICE_BUSY: { hasher: 'The server is busy; try again shortly.' },
} as const;

type English = typeof requestErrorMessages;
/** Another locale's catalogue: every code and case of the English one, nothing else. */
export type RequestErrorCatalogue = {
  readonly [Code in keyof English]: { readonly [Case in keyof English[Code]]: string };
};

export * from './__generated__/graphql.generated.js';
export {
  type AuthClient,
  type AuthMode,
  type ClientCore,
  type ClientOptions,
  createClient,
  type OperationMethod,
  type OperationMethods,
  type RequestOptions,
} from './client.js';
export {
  errorCodes,
  firstError,
  type GraphQLErrorItem,
  GraphQLRequestError,
  hasErrorCode,
  NetworkError,
  type ResultWithErrors,
} from './errors.js';
export type { SessionEventName, SessionEvents, SessionListener, SignOutReason } from './events.js';
export type { ExpectedError, ExpectedErrors } from './expected-errors.js';
export { readTokenTiming } from './jwt.js';
export { type OperationName, type Operations, operations } from './operations.js';
export {
  createSingleFlight,
  type LockRunner,
  memoryRotationLedger,
  platformLock,
  platformRotationLedger,
  type RotationLedger,
} from './refresh.js';
export {
  type LocalStorageOptions,
  localStorageStorage,
  memoryStorage,
  type StorageLike,
  type StoredSession,
  type TokenStorage,
} from './token-storage.js';

export * from './__generated__/graphql.generated.js';
export type { ExpectedError, ExpectedErrors } from './expected-errors.js';

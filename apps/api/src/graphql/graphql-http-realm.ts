/**
 * graphql-js ships two builds without an `exports` map: Node (and so graphql-http) loads the CommonJS
 * `index.js`, while Vite-based runners (vitest) give our own source the ESM `index.mjs`. graphql-http
 * tells a GraphQL error from a crash with `instanceof GraphQLError`, so errors we create before
 * execution (limits, parse) must come from the copy graphql-http holds. These file paths resolve to
 * that copy everywhere.
 */
export { GraphQLError } from 'graphql/error/GraphQLError.js';
export { parse } from 'graphql/language/parser.js';

import { GraphQLError } from 'graphql';

/**
 * Answer for schema fields whose implementation has not landed yet. A clear GraphQL error (with
 * `extensions.code = NOT_AVAILABLE_YET`), so no client mistakes an unimplemented field for a working
 * one. The README lists these fields; each is removed from the list when its issue lands.
 */
export function notAvailableYet(field: string, feature: string): never {
  throw new GraphQLError(`\`${field}\` is not available yet (${feature}).`, {
    extensions: { code: 'NOT_AVAILABLE_YET', field },
  });
}

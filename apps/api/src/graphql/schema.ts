import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers as generatedResolvers } from '../__generated__/resolvers.generated.js';
import { typeDefs as generatedTypeDefs } from '../__generated__/type-defs.generated.js';
import { applyAuthDirectives } from './auth-directives.js';
import { applyFieldRateLimits } from './rate-limited-fields.js';
import { assertRootResolvers } from './root-resolvers.js';

type Resolvers = Parameters<typeof makeExecutableSchema>[0]['resolvers'];

/** Both come from `pnpm codegen` (schema/ and the resolver files); tests may pass their own. */
export interface SchemaSources {
  typeDefs?: readonly string[];
  resolvers?: Resolvers;
}

/**
 * The executable schema. Building it fails, naming every offender, when a resolver has no field,
 * a root field has no resolver (or only its generated stub), or a root field lacks its access
 * directive.
 */
export function createSchema({
  typeDefs = generatedTypeDefs,
  resolvers = generatedResolvers as Resolvers,
}: SchemaSources = {}): GraphQLSchema {
  const schema = makeExecutableSchema({
    typeDefs: [...typeDefs],
    resolvers,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
  assertRootResolvers(schema, resolvers ?? {});
  // The access policy wraps resolvers here, once; it throws when a root field lacks a directive.
  // Rate limits wrap outside the guards: a refused request costs one counter, not a viewer lookup.
  return applyFieldRateLimits(applyAuthDirectives(schema));
}

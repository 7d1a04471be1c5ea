import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { applyAuthDirectives } from './auth-directives.js';
import { resolvers as implementedResolvers } from './resolvers.js';
import { assertRootResolvers } from './root-resolvers.js';

/** The repository's `schema/` folder: the SDL is the source of truth, read as written. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../../../schema/', import.meta.url));

function listGraphqlFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return listGraphqlFiles(path);
      return entry.name.endsWith('.graphql') ? [path] : [];
    })
    .sort();
}

export function loadTypeDefs(directory = SCHEMA_DIR): string[] {
  return listGraphqlFiles(directory).map((file) => readFileSync(file, 'utf8'));
}

type Resolvers = Parameters<typeof makeExecutableSchema>[0]['resolvers'];

export interface SchemaSources {
  typeDefs?: string[];
  resolvers?: Resolvers;
}

/**
 * The executable schema. Building it fails, naming every offender, when a resolver has no field,
 * a root field has no resolver, or a root field lacks its access directive.
 */
export function createSchema({
  typeDefs = loadTypeDefs(),
  resolvers = implementedResolvers as Resolvers,
}: SchemaSources = {}): GraphQLSchema {
  const schema = makeExecutableSchema({
    typeDefs,
    resolvers,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
  assertRootResolvers(schema);
  // The access policy wraps resolvers here, once; it throws when a root field lacks a directive.
  return applyAuthDirectives(schema);
}

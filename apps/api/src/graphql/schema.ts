import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { applyAuthDirectives } from './auth-directives.js';
import { resolvers } from './resolvers.js';

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

export function createSchema(): GraphQLSchema {
  // The access policy wraps resolvers here, once; it throws when a root field lacks a directive.
  return applyAuthDirectives(
    makeExecutableSchema({
      typeDefs: loadTypeDefs(),
      resolvers,
      resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
    }),
  );
}

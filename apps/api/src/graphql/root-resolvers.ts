import type { GraphQLSchema } from 'graphql';
import { stubbedField } from '../modules/base/not-implemented.js';

/** Thrown when the schema is built: the SDL declares root fields that no resolver implements. */
export class MissingResolverError extends Error {
  constructor(readonly fields: readonly string[]) {
    super(
      `Root fields without a resolver (write them, then run the server again):\n${fields
        .map((field) => `  - ${field}`)
        .join('\n')}`,
    );
    this.name = 'MissingResolverError';
  }
}

/**
 * Refuses a schema with a Query, Mutation or Subscription field that has no resolver, or only the
 * stub `pnpm codegen` wrote for it. Without this check graphql-js falls back to its default
 * resolver, which reads the field off an undefined root and answers null or "Unexpected error.", so
 * a field added to the SDL but not implemented would be served. `tsc` names the same fields through
 * the generated resolver types; this refuses at start-up too, for `pnpm dev` and for anyone who
 * starts the server with type errors.
 */
export function assertRootResolvers(schema: GraphQLSchema, resolvers: unknown): void {
  const missing: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    // Stubs are recognised in the map: the schema holds graphql-tools' copies of the functions.
    const given = ((resolvers as Record<string, Record<string, unknown> | undefined>)[root.name] ??
      {}) as Record<string, unknown>;
    for (const field of Object.values(root.getFields())) {
      const implemented = root.name === 'Subscription' ? field.subscribe : field.resolve;
      if (!implemented || stubbedField(given[field.name])) missing.push(`${root.name}.${field.name}`);
    }
  }
  if (missing.length > 0) throw new MissingResolverError(missing);
}

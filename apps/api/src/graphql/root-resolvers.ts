import type { GraphQLSchema } from 'graphql';

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
 * Refuses a schema with a Query, Mutation or Subscription field that has no resolver. Without this
 * check graphql-js falls back to its default resolver, which reads the field off an undefined root
 * and answers null or "Unexpected error.", so a field added to the SDL but not implemented would be
 * served. `tsc` names the same fields through the generated resolver types; this refuses at start-up
 * too, for `pnpm dev` and for anyone who starts the server with type errors.
 */
export function assertRootResolvers(schema: GraphQLSchema): void {
  const missing: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const implemented = root.name === 'Subscription' ? field.subscribe : field.resolve;
      if (!implemented) missing.push(`${root.name}.${field.name}`);
    }
  }
  if (missing.length > 0) throw new MissingResolverError(missing);
}

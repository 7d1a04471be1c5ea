import { type ExecutionResult, type GraphQLSchema, Kind, type OperationDefinitionNode } from 'graphql';

/** The label of operations that are not one known root field (several, introspection, unknown). */
export const ANONYMOUS_OPERATION = 'anonymous';

/**
 * Labels an operation by the root field it selects in the parsed document (`tokenAuth` whether
 * the client calls the operation `TokenAuth`, `login` or nothing, aliases ignored), or
 * `anonymous` unless that is exactly one field of the schema. The operation name a client writes
 * is never a label: the number of series cannot grow past the size of the schema.
 */
export function createOperationLabeller(schema: GraphQLSchema) {
  const known = new Set(
    [schema.getQueryType(), schema.getMutationType()].flatMap((type) => Object.keys(type?.getFields() ?? {})),
  );
  return (operation: OperationDefinitionNode | null | undefined): string => {
    const selections = operation?.selectionSet.selections ?? [];
    const only = selections.length === 1 ? selections[0] : undefined;
    return only?.kind === Kind.FIELD && known.has(only.name.value) ? only.name.value : ANONYMOUS_OPERATION;
  };
}

/** ok; failure: a root field answered a `success: false` payload; error: a GraphQL error. */
export function operationOutcome(result: ExecutionResult): 'ok' | 'failure' | 'error' {
  if (result.errors?.length) return 'error';
  const data = result.data as Record<string, unknown> | null | undefined;
  for (const value of Object.values(data ?? {})) {
    if (value && typeof value === 'object' && (value as { success?: unknown }).success === false)
      return 'failure';
  }
  return 'ok';
}

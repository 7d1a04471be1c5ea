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

/** The label of named operations past the first `maxNames`, and of names that are no label. */
export const OTHER_OPERATION_NAME = 'other';
/** A GraphQL name (the parser has already required the shape) of bounded length. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Labels an operation by the name its document gives it (`query Me { … }` -> `Me`; only called for
 * documents that parsed and validated, so the name is the operation that runs, never a header or
 * the request's `operationName` text on its own), `anonymous` for none. The number of series stays
 * bounded whatever clients send: the first `maxNames` distinct names of this process get their own,
 * every later one, a name over 64 characters, or one spelling a reserved label is `other`.
 */
export function createOperationNamer(maxNames: number) {
  const named = new Set<string>();
  return (operation: OperationDefinitionNode | null | undefined): string => {
    const name = operation?.name?.value;
    if (!name) return ANONYMOUS_OPERATION;
    if (named.has(name)) return name;
    if (!LABEL_NAME.test(name) || name === ANONYMOUS_OPERATION || named.size >= maxNames)
      return OTHER_OPERATION_NAME;
    named.add(name);
    return name;
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

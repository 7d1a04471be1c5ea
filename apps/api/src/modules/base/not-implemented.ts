const NOT_IMPLEMENTED = Symbol.for('gql-auth.notImplemented');

/**
 * What a generated resolver stub holds until someone writes the resolver. Its type is deliberately
 * not a resolver, so `pnpm typecheck` names the stub's line; at run time it is a function that is
 * marked, so the schema build refuses to serve the field (`assertRootResolvers`).
 */
export interface NotImplemented {
  readonly notImplemented: string;
}

export function notImplemented(field: string): NotImplemented {
  const stub = () => {
    throw new Error(`${field} is not implemented`);
  };
  return Object.assign(stub, { [NOT_IMPLEMENTED]: field, notImplemented: field });
}

/** The field name of a generated stub, or null for a real resolver. */
export function stubbedField(resolver: unknown): string | null {
  if (typeof resolver !== 'function') return null;
  const field = (resolver as { [NOT_IMPLEMENTED]?: unknown })[NOT_IMPLEMENTED];
  return typeof field === 'string' ? field : null;
}

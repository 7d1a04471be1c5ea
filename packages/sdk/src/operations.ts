import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import * as generated from './__generated__/graphql.generated.js';

type Generated = typeof generated;

/** Export names of every generated operation document (`RegisterDocument`, `MeDocument`, ...). */
type DocumentExport = {
  [K in keyof Generated]: K extends `${string}Document`
    ? Generated[K] extends TypedDocumentNode<infer _Result, infer _Variables>
      ? K
      : never
    : never;
}[keyof Generated];

/** `TokenAuthDocument` -> `tokenAuth`: the client method name of an operation. */
export type MethodName<K extends string> = K extends `${infer Name}Document` ? Uncapitalize<Name> : never;

/**
 * Every operation in `operations/*.graphql`, by method name. Derived from the generated module
 * rather than listed by hand, so an operation added to a .graphql file gets its client method with
 * the next `pnpm codegen`: nothing to forget.
 */
export type Operations = { [K in DocumentExport as MethodName<K>]: Generated[K] };

function isOperationDocument(value: unknown): value is TypedDocumentNode<unknown, unknown> {
  const definitions = (value as { definitions?: Array<{ kind?: string }> } | null)?.definitions;
  return Array.isArray(definitions) && definitions.some((d) => d.kind === 'OperationDefinition');
}

export const operations = Object.fromEntries(
  Object.entries(generated)
    .filter(([name, value]) => name.endsWith('Document') && isOperationDocument(value))
    .map(([name, value]) => [name.charAt(0).toLowerCase() + name.slice(1, -'Document'.length), value]),
) as unknown as Operations;

export type OperationName = keyof Operations;

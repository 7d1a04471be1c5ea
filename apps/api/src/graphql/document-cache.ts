import { createRequire } from 'node:module';
import type { DocumentNode, GraphQLError, GraphQLSchema, Source } from 'graphql';

// graphql's CommonJS build, the one graphql-http (and Node's own `import 'graphql'`) uses: the schema
// must be checked by the same copy of graphql that built it. Vitest would hand an ESM import the
// `module` build, a second copy that refuses the schema as "from another realm".
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
const { validate } = graphql;

type ValidationRule = Parameters<typeof validate>[2] extends ReadonlyArray<infer Rule> | undefined
  ? Rule
  : never;

/** Distinct documents remembered; a client app sends a few dozen. */
const MAX_DOCUMENTS = 500;
/** Longer documents are parsed every time: they are rare, and they would crowd the cache out. */
const MAX_CACHED_LENGTH = 8 * 1024;

/**
 * graphql-http's `parse` and `validate` hooks, remembering both per document text: clients send the
 * same few operations over and over, and parsing plus validating one was 13% of a `me` request.
 * Parsed documents live in a bounded LRU keyed by the text (a Map in insertion order: a hit moves
 * the entry to the end, the oldest is evicted). Validation results hang off the parsed document
 * object itself, so they go when it goes; they are only valid for one schema and one rule list,
 * which is why a cache belongs to one handler.
 *
 * Only rules that look at the document alone are cached: graphql's specified rules and
 * `documentRules` (the query limits). Any other rule in the list (the check of the variables' text,
 * made per request) runs every time.
 *
 * A document that fails to parse throws and is not remembered; one that fails validation is
 * remembered with its errors (the same text fails the same way).
 */
export function createDocumentCache(
  options: {
    parse?: (source: string | Source) => DocumentNode;
    documentRules?: readonly ValidationRule[];
  } = {},
) {
  const parse = options.parse ?? graphql.parse;
  const cacheable = new Set<ValidationRule>([...graphql.specifiedRules, ...(options.documentRules ?? [])]);
  const documents = new Map<string, DocumentNode>();
  const validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();

  return {
    parse(source: string | Source): DocumentNode {
      if (typeof source !== 'string') return parse(source);
      const cached = documents.get(source);
      if (cached) {
        documents.delete(source);
        documents.set(source, cached);
        return cached;
      }
      const document = parse(source);
      if (source.length <= MAX_CACHED_LENGTH) {
        documents.set(source, document);
        if (documents.size > MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
      }
      return document;
    },

    validate(
      schema: GraphQLSchema,
      document: DocumentNode,
      rules: Parameters<typeof validate>[2],
    ): readonly GraphQLError[] {
      const all = rules ?? graphql.specifiedRules;
      const perRequest = all.filter((rule) => !cacheable.has(rule));
      let fixed = validated.get(document);
      if (!fixed) {
        fixed = validate(
          schema,
          document,
          all.filter((rule) => cacheable.has(rule)),
        );
        validated.set(document, fixed);
      }
      if (perRequest.length === 0) return fixed;
      return [...fixed, ...validate(schema, document, perRequest)];
    },

    size: () => documents.size,
  };
}

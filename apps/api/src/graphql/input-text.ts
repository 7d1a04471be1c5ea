import { Kind, type ValidationRule, type ValueNode } from 'graphql';
import type { RequestErrorCode } from '../modules/base/errors/request-errors.js';
import { GraphQLError } from './graphql-http-realm.js';

/**
 * Text no column can store: NUL (PostgreSQL refuses it in text and jsonb) and lone UTF-16
 * surrogates (not valid Unicode; jsonb refuses their escapes). Refused at the door, for string
 * literals and variables alike, as a 400 `BAD_USER_INPUT` naming the argument or variable.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

function badText(where: string): GraphQLError {
  return new GraphQLError(`${where} contains a NUL character or invalid Unicode.`, {
    extensions: { code: 'BAD_USER_INPUT' satisfies RequestErrorCode },
  });
}

/** The first string inside a JSON value that cannot be stored, as a path, or null. */
function findUnstorable(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return path;
    const found = findUnstorable(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

function literalIsStorable(node: ValueNode): boolean {
  if (node.kind === Kind.STRING) return isStorableText(node.value);
  if (node.kind === Kind.LIST) return node.values.every(literalIsStorable);
  if (node.kind === Kind.OBJECT) return node.fields.every((field) => literalIsStorable(field.value));
  return true;
}

/** String literals of the document: a rule of the document alone (validated once per text, document-cache.ts). */
export const inputLiteralsRule: ValidationRule = (context) => ({
  Argument(node) {
    if (literalIsStorable(node.value)) return;
    context.reportError(badText(`Argument \`${node.name.value}\``));
  },
});

/**
 * The variables of one request: null when they are all storable (the usual case, found without
 * walking the document), else a rule that reports the first bad one.
 */
export function inputVariablesRule(
  variables: Record<string, unknown> | null | undefined,
): ValidationRule | null {
  const found = variables ? findUnstorable(variables, 'variables') : null;
  if (!found) return null;
  return (context) => ({
    OperationDefinition() {
      context.reportError(badText(`Variable \`${found.replace(/^variables\./, '$')}\``));
    },
  });
}

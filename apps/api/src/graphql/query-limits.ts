import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type GraphQLError as AnyGraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { QueryLimits } from '../limits-config.js';
import type { RequestErrorCode } from '../modules/base/errors/request-errors.js';
import { GraphQLError, parse } from './graphql-http-realm.js';

/**
 * Bounds on what one request may ask for, checked while parsing and validating, before any resolver
 * runs. GraphQL Armor's rules count aliases, depth, directives and cost (list sizes from literal
 * `first`/`last`); graphql-js's own parser counts tokens; two rules of ours count root fields and the
 * fields marked `@expensive` in the SDL (a password hash or a sent mail each).
 *
 * Every refusal is a GraphQL error with a stable `extensions.code` naming the limit and
 * `extensions.limit`; graphql-http answers it with 400 (200 for legacy `application/json` clients,
 * as the GraphQL-over-HTTP spec asks).
 */
export const LIMIT_CODES = {
  tokens: 'MAX_TOKENS_EXCEEDED',
  depth: 'MAX_DEPTH_EXCEEDED',
  aliases: 'MAX_ALIASES_EXCEEDED',
  rootFields: 'MAX_ROOT_FIELDS_EXCEEDED',
  directives: 'MAX_DIRECTIVES_EXCEEDED',
  cost: 'MAX_COST_EXCEEDED',
  expensive: 'MAX_EXPENSIVE_FIELDS_EXCEEDED',
  introspection: 'INTROSPECTION_DISABLED',
} as const satisfies Record<string, RequestErrorCode>;

/** Fields that hash a password or send mail: at most this many per operation. */
export const MAX_EXPENSIVE_FIELDS = 1;
export const EXPENSIVE_DIRECTIVE = 'expensive';

function limitError(code: RequestErrorCode, limit: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit } });
}

/** Armor throws "Syntax Error: …" by default; report it instead, with our code, and go on. */
function armorOptions(code: RequestErrorCode, limit: number) {
  return {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: AnyGraphQLError) =>
        context?.reportError(limitError(code, limit, error.message.replace(/^Syntax Error: /, ''))),
    ],
  };
}

/** Root selections of an operation, fragments expanded (a fragment cannot hide fields). */
function rootFields(context: ValidationContext, selectionSet: SelectionSetNode, seen = new Set<string>()) {
  const fields: Array<{ name: string }> = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push({ name: selection.name.value });
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...rootFields(context, selection.selectionSet, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) fields.push(...rootFields(context, fragment.selectionSet, seen));
    }
  }
  return fields;
}

function rootFieldRule(limits: QueryLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root =
        operation.operation === 'mutation'
          ? context.getSchema().getMutationType()
          : operation.operation === 'query'
            ? context.getSchema().getQueryType()
            : context.getSchema().getSubscriptionType();
      const fields = rootFields(context, operation.selectionSet).filter(
        (field) => !field.name.startsWith('__'),
      );
      if (fields.length > limits.maxRootFields) {
        context.reportError(
          limitError(
            LIMIT_CODES.rootFields,
            limits.maxRootFields,
            `Root field limit of ${limits.maxRootFields} exceeded, found ${fields.length}.`,
          ),
        );
      }
      const definitions = root?.getFields() ?? {};
      const expensive = fields.filter((field) =>
        definitions[field.name]?.astNode?.directives?.some(
          (directive) => directive.name.value === EXPENSIVE_DIRECTIVE,
        ),
      );
      if (expensive.length > MAX_EXPENSIVE_FIELDS) {
        const names = [...new Set(expensive.map((field) => field.name))].join(', ');
        context.reportError(
          limitError(
            LIMIT_CODES.expensive,
            MAX_EXPENSIVE_FIELDS,
            `At most ${MAX_EXPENSIVE_FIELDS} password-hashing or mail-sending field per operation, found ${expensive.length} (${names}).`,
          ),
        );
      }
    },
  });
}

/** graphql-js's NoSchemaIntrospectionCustomRule, with a code. `__typename` stays allowed. */
function introspectionRule(): ValidationRule {
  return (context) => ({
    Field(node) {
      const name = node.name.value;
      if (name === '__schema' || name === '__type') {
        context.reportError(
          limitError(LIMIT_CODES.introspection, 0, 'Introspection is disabled on this server.'),
        );
      }
    },
  });
}

/** The validation rules appended to graphql-js's own. */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: limits.maxDepth,
      ...armorOptions(LIMIT_CODES.depth, limits.maxDepth),
    }) as ValidationRule,
    maxAliasesRule({
      n: limits.maxAliases,
      ...armorOptions(LIMIT_CODES.aliases, limits.maxAliases),
    }) as ValidationRule,
    maxDirectivesRule({
      n: limits.maxDirectives,
      ...armorOptions(LIMIT_CODES.directives, limits.maxDirectives),
    }) as ValidationRule,
    costLimitRule({
      maxCost: limits.maxCost,
      ...armorOptions(LIMIT_CODES.cost, limits.maxCost),
    }) as ValidationRule,
    rootFieldRule(limits),
  ];
  if (!limits.introspection) rules.push(introspectionRule());
  return rules;
}

/**
 * graphql-js's parser with a token budget: a document of more tokens (a 2,000-deep nesting, a
 * megabyte of aliases) stops being read at the limit instead of being built and walked.
 */
export function limitedParse(limits: QueryLimits): typeof import('graphql').parse {
  return (source, options) => {
    try {
      return parse(source, { ...options, maxTokens: limits.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError && /Document contains more tha[nt] \d+ tokens/.test(error.message)) {
        throw limitError(
          LIMIT_CODES.tokens,
          limits.maxTokens,
          `Token limit of ${limits.maxTokens} exceeded: the document is too long.`,
        );
      }
      throw error;
    }
  };
}

import {
  defaultFieldResolver,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import type { ErrorCode } from '../modules/base/errors/error-catalogue.js';
import { expectedError, NON_FIELD_ERRORS } from '../modules/base/errors/expected-errors.js';
import { type RequestErrorCode, requestError } from '../modules/base/errors/request-errors.js';
import type { GraphQLContext } from '../modules/base/graphql-context.js';
import type { User } from '../modules/users/user.entity.js';

/**
 * The access policy of the API, enforced here and nowhere else (see schema/base/directives.graphql).
 *
 * - Every root field (Query, Mutation, Subscription) carries exactly one access directive; building
 *   the schema fails otherwise, so a field added without thinking about access never ships open.
 * - Any other field may carry at most one, to narrow access below its parent.
 * - `@login`/`@verified` on a field returning a `success`/`errors` payload answer that payload with
 *   `unauthenticated`/`not_verified`, as django-graphql-auth does; every other refusal throws a
 *   GraphQL error with `extensions.code` UNAUTHENTICATED or FORBIDDEN (never masked, see http-handler).
 */
export const ACCESS_DIRECTIVES = ['public', 'login', 'verified', 'staff', 'superuser', 'permission'] as const;
export type AccessDirective = (typeof ACCESS_DIRECTIVES)[number];

export type AccessRule =
  | { kind: 'public' | 'login' | 'verified' | 'staff' | 'superuser' }
  | { kind: 'permission'; name: string };

/** Thrown at start-up when the SDL breaks the policy; lists every offending field at once. */
export class AccessPolicyError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Access policy violated:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'AccessPolicyError';
  }
}

/** Why a viewer was refused: the GraphQL error code, and the expected-error code payload mode uses. */
type Refusal = {
  code: Extract<RequestErrorCode, 'UNAUTHENTICATED' | 'FORBIDDEN'>;
  payloadCode: ErrorCode;
  message: string;
};

const unauthenticated: Refusal = {
  code: 'UNAUTHENTICATED',
  payloadCode: 'unauthenticated',
  message: 'You must be signed in to do this.',
};

// Payload mode only applies to @login/@verified, so only `not_verified` needs a payload code of its own.
function forbidden(message: string, payloadCode: ErrorCode = 'unauthenticated'): Refusal {
  return { code: 'FORBIDDEN', payloadCode, message };
}

/** Null when the viewer passes the rule; otherwise why not. */
async function refusalFor(rule: AccessRule, context: GraphQLContext): Promise<Refusal | null> {
  if (rule.kind === 'public') return null;
  // viewer() is null for bad, expired or unknown tokens and for inactive users.
  const viewer: User | null = await context.viewer();
  if (!viewer) return unauthenticated;
  switch (rule.kind) {
    case 'login':
      return null;
    case 'verified':
      return viewer.verified ? null : forbidden('Verify your email address first.', 'not_verified');
    case 'staff':
      return viewer.isStaff ? null : forbidden('Staff only.');
    case 'superuser':
      return viewer.isSuperuser ? null : forbidden('Superusers only.');
    case 'permission': {
      const allowed = await context.services.permissions.hasPermission(context.em, viewer, rule.name);
      return allowed ? null : forbidden(`Needs the \`${rule.name}\` permission.`);
    }
  }
}

// Type tests by `Symbol.toStringTag`, not `instanceof`: the schema may come from another copy of
// `graphql` (ESM and CJS builds side by side, as under vitest), and an `instanceof` that silently
// fails would skip the whole policy. Same reason for reading directive arguments from the AST.
const tagOf = (value: unknown) => (value as { [Symbol.toStringTag]?: string } | null)?.[Symbol.toStringTag];
const isObjectType = (type: unknown): type is GraphQLObjectType => tagOf(type) === 'GraphQLObjectType';

function namedType(type: GraphQLType | undefined): GraphQLType | undefined {
  let current = type;
  while (current && 'ofType' in current) current = current.ofType as GraphQLType;
  return current;
}

/** Reads the access directives of a field; more than one is a policy error reported by the caller. */
export function accessRulesOf(field: GraphQLField<unknown, unknown>): AccessRule[] {
  const rules: AccessRule[] = [];
  for (const directive of field.astNode?.directives ?? []) {
    const kind = directive.name.value as AccessDirective;
    if (!ACCESS_DIRECTIVES.includes(kind)) continue;
    if (kind !== 'permission') {
      rules.push({ kind });
      continue;
    }
    // SDL validation already required `name: String!`; a literal is the only possible value here.
    const argument = directive.arguments?.find((arg) => arg.name.value === 'name')?.value;
    rules.push({ kind, name: argument?.kind === 'StringValue' ? argument.value : '' });
  }
  return rules;
}

/** A `success`/`errors` payload type, which answers account-level refusals in its own shape. */
function answersWithPayload(field: GraphQLField<unknown, unknown>): boolean {
  const type = namedType(field.type);
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  const errorsType = namedType(fields.errors?.type);
  return (
    fields.success !== undefined &&
    tagOf(errorsType) === 'GraphQLScalarType' &&
    errorsType?.toString() === 'ExpectedErrors'
  );
}

function guard(
  rule: AccessRule,
  field: GraphQLField<unknown, unknown>,
  resolve: GraphQLFieldResolver<unknown, GraphQLContext>,
): GraphQLFieldResolver<unknown, GraphQLContext> {
  const payloadMode = (rule.kind === 'login' || rule.kind === 'verified') && answersWithPayload(field);
  return async (source, args, context, info) => {
    const refusal = await refusalFor(rule, context);
    if (!refusal) return resolve(source, args, context, info);
    if (payloadMode) {
      return { success: false, errors: { [NON_FIELD_ERRORS]: [expectedError(refusal.payloadCode)] } };
    }
    throw requestError(refusal.code, `\`${info.fieldName}\`: ${refusal.message}`);
  };
}

/**
 * Checks the policy over the whole schema and wraps every field carrying a directive. Mutates the
 * executable schema in place (field resolvers are plain properties) and returns it; throws an
 * AccessPolicyError listing every root field without exactly one access directive.
 */
export function applyAuthDirectives(schema: GraphQLSchema): GraphQLSchema {
  const problems: string[] = [];
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
      (type): type is GraphQLObjectType => type != null,
    ),
  );
  let rootsSeen = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const isRoot = roots.has(type);
    if (isRoot) rootsSeen += 1;
    for (const field of Object.values(type.getFields())) {
      const rules = accessRulesOf(field as GraphQLField<unknown, unknown>);
      const where = `${type.name}.${field.name}`;
      if (rules.length > 1) {
        problems.push(`${where} has ${rules.length} access directives; give exactly one`);
        continue;
      }
      const [rule] = rules;
      if (!rule) {
        if (isRoot) problems.push(`${where} has no access directive (add @public, @login, @staff, ...)`);
        continue;
      }
      if (rule.kind === 'public') continue;
      field.resolve = guard(
        rule,
        field as GraphQLField<unknown, unknown>,
        (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, GraphQLContext>,
      );
    }
  }
  // Fail closed: a root type this walk did not recognise would otherwise go unguarded.
  if (rootsSeen !== roots.size) problems.push('root types were not recognised as object types');
  if (problems.length > 0) throw new AccessPolicyError(problems);
  return schema;
}

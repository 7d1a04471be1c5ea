import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { resolvers } from '../../src/__generated__/resolvers.generated.js';
import { typeDefs as schemaTypeDefs } from '../../src/__generated__/type-defs.generated.js';
import { AccessPolicyError, accessRulesOf, applyAuthDirectives } from '../../src/graphql/auth-directives.js';
import { MissingResolverError } from '../../src/graphql/root-resolvers.js';
import { createSchema } from '../../src/graphql/schema.js';
import type { GraphQLContext } from '../../src/modules/base/graphql-context.js';
import { notImplemented } from '../../src/modules/base/not-implemented.js';
import type { User } from '../../src/modules/users/user.entity.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../../../schema/', import.meta.url));
const DIRECTIVES = readFileSync(join(SCHEMA_DIR, 'base/directives.graphql'), 'utf8');
const PAYLOAD = `scalar ExpectedErrors
type Payload { success: Boolean! errors: ExpectedErrors }`;

function build(sdl: string, resolvers: Record<string, Record<string, () => unknown>> = {}) {
  return applyAuthDirectives(makeExecutableSchema({ typeDefs: [DIRECTIVES, PAYLOAD, sdl], resolvers }));
}

/** A context with a fixed viewer and a permission check that grants only `granted`. */
function contextFor(viewer: Partial<User> | null, granted: string[] = []): GraphQLContext {
  return {
    viewer: async () => (viewer ? ({ isActive: true, ...viewer } as User) : null),
    services: {
      permissions: {
        hasPermission: async (_em: unknown, _user: User, name: string) => granted.includes(name),
      },
    },
    em: {},
  } as unknown as GraphQLContext;
}

async function call(
  schema: ReturnType<typeof build>,
  root: 'Query' | 'Mutation',
  field: string,
  ctx: GraphQLContext,
) {
  const type = root === 'Query' ? schema.getQueryType()! : schema.getMutationType()!;
  const resolve = type.getFields()[field]!.resolve as GraphQLFieldResolver<unknown, GraphQLContext>;
  return resolve(undefined, {}, ctx, { fieldName: field } as GraphQLResolveInfo);
}

describe('access directive policy', () => {
  it('the real schema builds, and every root field carries exactly one access directive', () => {
    const schema = createSchema();
    for (const type of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(type.getFields())) {
        expect(accessRulesOf(field as never), `${type.name}.${field.name}`).toHaveLength(1);
      }
    }
  });

  it('refuses to build the real schema when the SDL gains root fields that have no resolver, naming each', () => {
    const typeDefs = [
      ...schemaTypeDefs,
      `extend type Query { ping: String @public }
       extend type Mutation { pingBack: Boolean @login }`,
    ];
    const attempt = () => createSchema({ typeDefs });
    expect(attempt).toThrow(MissingResolverError);
    expect(attempt).toThrow(/Query\.ping\b/);
    expect(attempt).toThrow(/Mutation\.pingBack\b/);
    // With a resolver the same SDL builds and serves the field.
    const resolved = createSchema({
      typeDefs,
      resolvers: {
        ...resolvers,
        Query: { ...resolvers.Query, ping: () => 'pong' },
        Mutation: { ...resolvers.Mutation, pingBack: () => true },
      },
    });
    expect(resolved.getQueryType()?.getFields().ping?.resolve).toBeTypeOf('function');
    // The stub `pnpm codegen` writes for a new field is refused too: it never reaches a client.
    const stubbed = () =>
      createSchema({
        typeDefs,
        resolvers: {
          ...resolvers,
          Query: { ...resolvers.Query, ping: notImplemented('Query.ping') as never },
          Mutation: { ...resolvers.Mutation, pingBack: () => true },
        },
      });
    expect(stubbed).toThrow(MissingResolverError);
    expect(stubbed).toThrow(/Query\.ping\b/);
  });

  it('refuses to build a schema with a root field lacking a directive, naming every offender', () => {
    const attempt = () =>
      build(`type Query { open: String @public leak: String }
             type Mutation { alsoLeaks: Payload }`);
    expect(attempt).toThrow(AccessPolicyError);
    expect(attempt).toThrow(/Query\.leak has no access directive/);
    expect(attempt).toThrow(/Mutation\.alsoLeaks has no access directive/);
  });

  it('refuses two access directives on one field, and unknown directives fail SDL validation', () => {
    expect(() => build('type Query { both: String @public @staff }')).toThrow(
      /Query\.both has 2 access directives/,
    );
    expect(() => build('type Query { typo: String @stafff }')).toThrow(/Unknown directive "@stafff"/);
  });

  it('throws UNAUTHENTICATED or FORBIDDEN for protected queries, and passes the allowed', async () => {
    const schema = build(
      `type Query {
        staffOnly: String @staff
        superOnly: String @superuser
        verifiedOnly: String @verified
        loginOnly: String @login
        permitted: String @permission(name: "audit.view_auditlog")
      }`,
      {
        Query: {
          staffOnly: () => 'staff data',
          superOnly: () => 'super data',
          verifiedOnly: () => 'verified data',
          loginOnly: () => 'login data',
          permitted: () => 'permitted data',
        },
      },
    );
    await expect(call(schema, 'Query', 'staffOnly', contextFor(null))).rejects.toMatchObject({
      message: '`staffOnly`: You must be signed in to do this.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await expect(call(schema, 'Query', 'staffOnly', contextFor({ isStaff: false }))).rejects.toMatchObject({
      message: '`staffOnly`: Staff only.',
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(call(schema, 'Query', 'staffOnly', contextFor({ isStaff: true }))).resolves.toBe(
      'staff data',
    );
    // A superuser is not implicitly staff (Django: the admin needs is_staff).
    await expect(call(schema, 'Query', 'staffOnly', contextFor({ isSuperuser: true }))).rejects.toMatchObject(
      {
        extensions: { code: 'FORBIDDEN' },
      },
    );
    await expect(call(schema, 'Query', 'superOnly', contextFor({ isStaff: true }))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(call(schema, 'Query', 'superOnly', contextFor({ isSuperuser: true }))).resolves.toBe(
      'super data',
    );
    await expect(
      call(schema, 'Query', 'verifiedOnly', contextFor({ verified: false })),
    ).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(call(schema, 'Query', 'verifiedOnly', contextFor({ verified: true }))).resolves.toBe(
      'verified data',
    );
    await expect(call(schema, 'Query', 'loginOnly', contextFor({}))).resolves.toBe('login data');
    await expect(call(schema, 'Query', 'permitted', contextFor({}, ['other.perm']))).rejects.toMatchObject({
      message: '`permitted`: Needs the `audit.view_auditlog` permission.',
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(call(schema, 'Query', 'permitted', contextFor({}, ['audit.view_auditlog']))).resolves.toBe(
      'permitted data',
    );
  });

  it('answers success/errors payloads for @login/@verified mutations instead of throwing', async () => {
    const schema = build(
      `type Query { ok: String @public }
       type Mutation { change: Payload @login changeVerified: Payload! @verified adminChange: Payload @staff }`,
      {
        Mutation: {
          change: () => ({ success: true }),
          changeVerified: () => ({ success: true }),
          adminChange: () => ({ success: true }),
        },
      },
    );
    await expect(call(schema, 'Mutation', 'change', contextFor(null))).resolves.toEqual({
      success: false,
      errors: { nonFieldErrors: [{ code: 'unauthenticated', message: 'Unauthenticated.' }] },
    });
    await expect(
      call(schema, 'Mutation', 'changeVerified', contextFor({ verified: false })),
    ).resolves.toEqual({
      success: false,
      errors: { nonFieldErrors: [{ code: 'not_verified', message: 'Please verify your account.' }] },
    });
    await expect(call(schema, 'Mutation', 'changeVerified', contextFor({ verified: true }))).resolves.toEqual(
      {
        success: true,
      },
    );
    // Admin-level refusals are errors even on payload mutations.
    await expect(call(schema, 'Mutation', 'adminChange', contextFor({}))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
  });
});

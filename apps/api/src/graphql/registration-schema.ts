import type { GraphQLSchema } from 'graphql';

/**
 * Passwordless registration is a schema decision, not only a setting: the default SDL declares
 * `register(password1: String!, password2: String!)`, so clients (and the SDK's types) know both are
 * required and a missing one is a GraphQL validation error, as in the reference. A project that wants
 * passwordless sign-up makes both nullable in `schema/auth/register.graphql`, runs codegen, and sets
 * PASSWORDLESS_REGISTRATION=true. The two must agree: a schema that says "optional" to a server that
 * requires them (or the reverse) would lie to every client, so the server refuses to start.
 */
export function assertRegistrationSchema(schema: GraphQLSchema, passwordlessRegistration: boolean): void {
  const register = schema.getMutationType()?.getFields().register;
  if (!register) return; // a project that removed register has nothing to agree on
  const required = ['password1', 'password2'].filter((name) => {
    const arg = register.args.find((candidate) => candidate.name === name);
    // The printed type, not isNonNullType: graphql's instanceof checks fail across duplicate copies of the package.
    return arg !== undefined && String(arg.type).endsWith('!');
  });
  if (passwordlessRegistration && required.length > 0) {
    throw new Error(
      `PASSWORDLESS_REGISTRATION=true, but the schema requires register(${required.map((name) => `${name}: String!`).join(', ')}). ` +
        'Make password1 and password2 nullable (String) in schema/auth/register.graphql and run codegen, ' +
        'or unset PASSWORDLESS_REGISTRATION.',
    );
  }
  if (!passwordlessRegistration && required.length < 2) {
    throw new Error(
      'The schema declares register(password1: String, password2: String) optional, but PASSWORDLESS_REGISTRATION ' +
        'is off, so the server requires both. Declare them String! in schema/auth/register.graphql and run codegen, ' +
        'or set PASSWORDLESS_REGISTRATION=true.',
    );
  }
}

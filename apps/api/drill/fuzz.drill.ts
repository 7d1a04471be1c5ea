/**
 * Fuzzes every argument of every mutation, read from the server's own schema (introspection):
 * strange text (NUL, lone surrogates, 70 kB, markup, traversal), wrong types (numbers for strings,
 * objects, lists, null) and odd ids, as variables and as literals, anonymous, signed in and as a
 * superuser. Lost: a 5xx, a masked internal error, a leak of internal detail, a non-JSON answer, or
 * a dead server. Also reports the server's RSS and error-log bytes per request.
 */
import {
  buildClientSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import {
  type Drill,
  forwardedFor,
  lossOf,
  post,
  postRetryingBusy,
  round,
  signedInUser,
} from './drill-kit.js';

const NO_SUCH_USER = Buffer.from('UserNode:999999').toString('base64');

const TEXT: unknown[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  'x'.repeat(300),
  'x'.repeat(70_000),
  '😀'.repeat(100),
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00%0d%0a',
  '\r\nX-Injected: 1',
  'ﬀ\u202e\u200b',
  Buffer.from('UserNode:-1').toString('base64'),
  Buffer.from('UserNode:abc').toString('base64'),
  Buffer.from('UserNode:1e100').toString('base64'),
  Buffer.from('Group:1').toString('base64'),
  'a@b',
  `${'a'.repeat(250)}@example.com`,
  `rt_${'A'.repeat(43)}`,
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.',
  'null',
  '0',
  'NaN',
  '\t\t',
  '__proto__',
  '{"$gt": ""}',
];
const WRONG_TYPES: unknown[] = [123, -1, 2 ** 31, 1.5, 1e308, true, null, [], ['a'], {}, { a: 1 }];

/** A value of the right type that points at nothing real (so fuzzing never harms its own users). */
function harmless(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return harmless(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) return {};
  switch (getNamedType(type).name) {
    case 'ID':
      return NO_SUCH_USER;
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    default:
      return 'drill-value';
  }
}

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const type = getNamedType(field.type);
  if (!isObjectType(type)) return '';
  const fields = type.getFields();
  return `{ __typename ${fields.success ? 'success' : ''} ${fields.errors ? 'errors' : ''} }`;
}

interface Case {
  body: unknown;
  label: string;
}

function casesFor(field: GraphQLField<unknown, unknown>, arg: GraphQLArgument, values: unknown[]): Case[] {
  const variables = field.args.map((other) => `$${other.name}: ${other.type.toString()}`).join(', ');
  const passed = field.args.map((other) => `${other.name}: $${other.name}`).join(', ');
  const query = `mutation Fuzz(${variables}) { ${field.name}(${passed}) ${selectionFor(field)} }`;
  const base = Object.fromEntries(field.args.map((other) => [other.name, harmless(other.type)]));
  const cases: Case[] = [];
  for (const value of values) {
    cases.push({
      body: { query, variables: { ...base, [arg.name]: value } },
      label: `${field.name}(${arg.name}: ${JSON.stringify(value)?.slice(0, 40)}) [variables]`,
    });
    if (typeof value === 'string') {
      // The same text as a literal: JSON string escapes are GraphQL string escapes.
      const others = field.args.filter((other) => other.name !== arg.name);
      const literalVariables = others.map((other) => `$${other.name}: ${other.type.toString()}`).join(', ');
      const literalArgs = [
        `${arg.name}: ${JSON.stringify(value)}`,
        ...others.map((other) => `${other.name}: $${other.name}`),
      ].join(', ');
      cases.push({
        body: {
          query: `mutation Fuzz${literalVariables ? `(${literalVariables})` : ''} { ${field.name}(${literalArgs}) ${selectionFor(field)} }`,
          variables: Object.fromEntries(others.map((other) => [other.name, harmless(other.type)])),
        },
        label: `${field.name}(${arg.name}: ${JSON.stringify(value).slice(0, 40)}) [literal]`,
      });
    }
  }
  return cases;
}

export const fuzzDrill: Drill = async (server, { short }) => {
  const introspection = await post(server, { query: getIntrospectionQuery() });
  const schema = buildClientSchema(introspection.json!.data as never);
  const mutations = Object.values(schema.getMutationType()!.getFields()).filter(
    (field) => field.args.length > 0,
  );
  const values = [...TEXT, ...WRONG_TYPES];
  const cases = mutations.flatMap((field) =>
    field.args.flatMap((arg) =>
      casesFor(
        field as GraphQLField<unknown, unknown>,
        arg,
        isScalarType(getNamedType(arg.type)) || isEnumType(getNamedType(arg.type)) ? values : WRONG_TYPES,
      ),
    ),
  );
  const tokens = [
    null,
    await signedInUser(server, 'fuzz_user'),
    await signedInUser(server, 'fuzz_root', { superuser: true }),
  ];
  // Full: every case under every identity (10,000+ requests); short: every third case, identities rotating.
  const plan = short
    ? cases
        .filter((_, index) => index % 3 === 0)
        .map((item, index) => ({ ...item, token: tokens[index % tokens.length] }))
    : tokens.flatMap((token) => cases.map((item) => ({ ...item, token })));

  const rssStart = await server.rssMb();
  const logStart = server.logBytes();
  let rssMax = rssStart;
  let survived = 0;
  const losses: string[] = [];
  let lost = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < plan.length && server.alive()) {
      const index = next++;
      const item = plan[index]!;
      const headers: Record<string, string> = { 'x-forwarded-for': forwardedFor(index) };
      if (item.token) headers.authorization = `JWT ${item.token}`;
      let loss: string | null;
      try {
        loss = lossOf(await postRetryingBusy(server, item.body, headers));
      } catch (error) {
        loss = `request failed: ${(error as Error).message}`;
      }
      if (loss) {
        lost++;
        if (losses.length < 8) losses.push(`${item.label}: ${loss}`);
      } else survived++;
      if (index % 500 === 0) rssMax = Math.max(rssMax, await server.rssMb());
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const rssEnd = await server.rssMb();
  rssMax = Math.max(rssMax, rssEnd);
  const tried = survived + lost;
  if (!server.alive()) {
    lost++;
    losses.push('the server died');
  }
  return {
    name: 'fuzz every mutation argument',
    tried,
    survived,
    lost,
    notes: [
      `${mutations.length} mutations, ${cases.length} cases, ${tried} requests in ${round((performance.now() - started) / 1000)} s`,
      `server RSS ${round(rssStart)} MB -> max ${round(rssMax)} MB -> ${round(rssEnd)} MB`,
      `error log: ${round((server.logBytes() - logStart) / Math.max(1, tried))} bytes per request`,
    ],
    losses,
  };
};

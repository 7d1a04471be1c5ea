import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, FIXTURE_PASSWORD } from '../support/fixtures.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';

type Answer = {
  status: number;
  json: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
};

/** Query cost is refused while validating, before any resolver runs (no hash, no mail, no SQL). */
describe('bounded query cost', () => {
  let api: TestInstance;

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis', { BCRYPT_COST: '10' });
    await createUser(api, { username: 'victim' });
  });
  afterAll(async () => {
    await api?.close();
  });

  const send = async (query: string, variables?: object) =>
    (await api.post(JSON.stringify({ query, variables }))) as Answer;
  const codes = (answer: Answer) => answer.json.errors?.map((error) => error.extensions?.code);

  const aliased = (count: number, field: (index: number) => string) =>
    `mutation { ${Array.from({ length: count }, (_, index) => `a${index}: ${field(index)}`).join(' ')} }`;

  it('refuses 100 aliased tokenAuth before hashing once', async () => {
    const before = await api.services.db.orm.em
      .fork()
      .getConnection()
      .execute('select count(*)::int as n from audit_log');
    const answer = await send(
      aliased(100, () => `tokenAuth(username: "victim", password: "guess") { success errors }`),
    );
    expect(answer.status).toBe(400);
    expect(answer.json.data).toBeUndefined();
    expect(codes(answer)).toContain('MAX_ALIASES_EXCEEDED');
    expect(codes(answer)).toContain('MAX_EXPENSIVE_FIELDS_EXCEEDED');
    expect(
      answer.json.errors!.find((error) => error.extensions?.code === 'MAX_ALIASES_EXCEEDED'),
    ).toMatchObject({
      message: 'Aliases limit of 15 exceeded, found 100.',
      extensions: { limit: 15 },
    });
    // Nothing ran: no sign-in attempt was audited.
    const after = await api.services.db.orm.em
      .fork()
      .getConnection()
      .execute('select count(*)::int as n from audit_log');
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('allows one password-hashing or mail-sending field per operation, and says which', async () => {
    const two = await send(
      `mutation { tokenAuth(username: "victim", password: "x") { success } sendPasswordResetEmail(email: "v@example.com") { success } }`,
    );
    expect(two.status).toBe(400);
    expect(two.json.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('found 2 (tokenAuth, sendPasswordResetEmail)'),
        extensions: { code: 'MAX_EXPENSIVE_FIELDS_EXCEEDED', limit: 1 },
      }),
    ]);
    // A fragment does not hide them.
    const hidden = await send(
      `mutation { ...A ...B } fragment A on Mutation { tokenAuth(username: "victim", password: "x") { success } } fragment B on Mutation { register(email: "a@b.co", username: "ab", password1: "x", password2: "x") { success } }`,
    );
    expect(codes(hidden)).toEqual(['MAX_EXPENSIVE_FIELDS_EXCEEDED']);
    const one = await send(
      `mutation { tokenAuth(username: "victim", password: "${FIXTURE_PASSWORD}") { success } }`,
    );
    expect(one.json).toEqual({ data: { tokenAuth: { success: true } } });
  });

  it('limits root fields, depth, directives, cost and tokens, each with its own code', async () => {
    const roots = await send(`{ ${Array.from({ length: 11 }, () => 'me { id }').join(' ')} }`);
    expect(codes(roots)).toEqual(['MAX_ROOT_FIELDS_EXCEEDED']);

    const deep = await send(`{ me { ${'... on UserNode { '.repeat(12)}id${' }'.repeat(12)} } }`);
    expect(codes(deep)).toEqual(['MAX_DEPTH_EXCEEDED']);
    const directives = await send(`{ me @include(if: true) ${'@skip(if: false) '.repeat(10)} { id } }`);
    expect(codes(directives)).toContain('MAX_DIRECTIVES_EXCEEDED');

    const costly = await send(
      `{ ${Array.from({ length: 3 }, (_, index) => `u${index}: users(first: 100) { edges { node { id username email firstName lastName isActive isStaff verified archived } } }`).join(' ')} }`,
    );
    expect(codes(costly)).toEqual(['MAX_COST_EXCEEDED']);

    const long = await send(`{ ${'__typename '.repeat(3000)} }`);
    expect(long.status).toBe(400);
    expect(long.json.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'MAX_TOKENS_EXCEEDED', limit: 2000 } }),
    ]);
  });

  it('answers a document nested 2,000 deep with a 400, not a stack overflow', async () => {
    const answer = await send(`{ ${'me { '.repeat(2000)}id${' }'.repeat(2000)} }`);
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['MAX_TOKENS_EXCEEDED']);
    const withinTokens = await send(
      `{ ${'__typename ... on Query { '.repeat(300)}__typename${' }'.repeat(300)} }`,
    );
    expect(withinTokens.status).toBe(400);
    expect(codes(withinTokens)).toContain('MAX_DEPTH_EXCEEDED');
  });

  it('keeps introspection where configured, refuses it with a code where not', async () => {
    const open = await send('{ __schema { queryType { name } } }');
    expect(open.json).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const production = await createTestInstance('embedded', {
      NODE_ENV: 'production',
      GRAPHQL_INTROSPECTION: 'false',
    });
    try {
      const closed = (await production.post(
        JSON.stringify({ query: '{ __type(name: "Query") { name } }' }),
      )) as Answer;
      expect(closed.status).toBe(400);
      expect(codes(closed)).toEqual(['INTROSPECTION_DISABLED']);
      const typename = (await production.post(JSON.stringify({ query: '{ __typename }' }))) as Answer;
      expect(typename.json).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await production.close();
    }
  });

  it('refuses batched (array) requests', async () => {
    const answer = await api.post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(answer.status).toBe(400);
  });
});

import { CreateGroupDocument, RegisterDocument, TokenAuthDocument } from '@gql-auth/sdk';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedIn, createUser } from '../support/fixtures.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';

type Answer = {
  status: number;
  json: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
};

/** Bad input gets a 4xx GraphQL error or a payload code; the masked internal error is for real bugs. */
describe('bad input never becomes an unexpected error', () => {
  let api: TestInstance;

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis');
    await createUser(api, { username: 'someone' });
  });
  afterAll(async () => {
    await api?.close();
  });

  const send = async (query: string, variables?: unknown) =>
    (await api.post(JSON.stringify({ query, variables }))) as Answer;
  const codes = (answer: Answer) => answer.json.errors?.map((error) => error.extensions?.code);
  const tokenAuth = print(TokenAuthDocument);

  it('refuses NUL bytes in literals and variables with a 400 naming where', async () => {
    const literal = await send('mutation { tokenAuth(username: "a\\u0000b", password: "x") { success } }');
    expect(literal.status).toBe(400);
    expect(literal.json.errors).toEqual([
      expect.objectContaining({
        message: 'Argument `username` contains a NUL character or invalid Unicode.',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    const variable = await send(tokenAuth, { username: 'someone', password: 'pass\u0000word' });
    expect(variable.status).toBe(400);
    expect(variable.json.errors?.[0]?.message).toBe(
      'Variable `$password` contains a NUL character or invalid Unicode.',
    );
  });

  it('refuses lone surrogates (which broke the audit insert) and still audits well-formed attempts', async () => {
    // JSON.stringify escapes the lone surrogate as \ud800, exactly what a client sends.
    const answer = await send(tokenAuth, { username: '\ud800', password: 'x' });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    const pair = await send(tokenAuth, { username: 'emoji-\ud83d\ude00', password: 'x' });
    expect(pair.json.data?.tokenAuth).toMatchObject({ success: false });
  });

  it('answers wrong-typed variables with BAD_USER_INPUT 400, legacy JSON clients with 200', async () => {
    const answer = await send(tokenAuth, { username: 123, password: 'x' });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.json.errors?.[0]?.message).toContain('String cannot represent a non string value');
    for (const variables of [
      { username: 'a', password: null },
      { username: ['a'], password: 'x' },
      { password: {} },
    ]) {
      const wrong = await send(tokenAuth, variables);
      expect({ variables, status: wrong.status, codes: codes(wrong) }).toEqual({
        variables,
        status: 400,
        codes: expect.arrayContaining(['BAD_USER_INPUT']),
      });
    }
    const legacy = await api.post(
      JSON.stringify({ query: tokenAuth, variables: { username: 1, password: 2 } }),
      {
        accept: 'application/json',
      },
    );
    expect(legacy.status).toBe(200);
    expect(JSON.stringify(legacy.json)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('answers over-long strings with payload codes, and huge ones within the body limit without a 500', async () => {
    const long = 'a'.repeat(5_000);
    const register = await api.gql(RegisterDocument, {
      email: `${long}@example.com`,
      username: long,
      password1: 'correct-Horse-42',
      password2: 'correct-Horse-42',
    });
    expect(register.data?.register.errors).toMatchObject({
      email: [{ code: 'max_length' }],
      username: [{ code: 'max_length' }],
    });
    const signIn = await api.gql(TokenAuthDocument, { username: 'b'.repeat(90_000), password: 'x' });
    expect(signIn.status).toBe(200);
    expect(signIn.data?.tokenAuth.errors).toMatchObject({
      nonFieldErrors: [{ code: 'invalid_credentials' }],
    });
  });

  it('answers a unique-index race on createGroup with `unique`, never a masked error', async () => {
    const { token } = await createSignedIn(api, { username: 'root', isSuperuser: true, isStaff: true });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.gql(CreateGroupDocument, { name: 'Racers', permissions: [] }, { token }),
      ),
    );
    const outcomes = answers.map((answer) =>
      answer.data?.createGroup.success
        ? 'created'
        : ((answer.data?.createGroup.errors as Record<string, Array<{ code: string }>> | null)?.name?.[0]
            ?.code ?? JSON.stringify(answer.errors)),
    );
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== 'created')).toEqual(Array(7).fill('unique'));
  });
});

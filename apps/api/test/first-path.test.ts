import { MeDocument, RegisterDocument, TokenAuthDocument, VerifyTokenDocument } from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestToken } from '../src/modules/tokens/token-store.js';
import { createTestInstance, TEST_MODES, type TestInstance } from './support/test-instance.js';

const PASSWORD = 'correct-Horse-42';

function registration(
  overrides: Partial<Record<'email' | 'username' | 'password1' | 'password2', string>> = {},
) {
  return {
    email: 'ada@example.com',
    username: 'ada',
    password1: PASSWORD,
    password2: PASSWORD,
    ...overrides,
  };
}

describe.each(TEST_MODES)('first path: register, tokenAuth, me (%s)', (mode) => {
  let api: TestInstance;

  beforeAll(async () => {
    api = await createTestInstance(mode);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('registers a user and returns a token pair (unverified login allowed by default)', async () => {
    const { data, errors } = await api.gql(RegisterDocument, {
      ...registration(),
      firstName: 'Ada',
      lastName: 'L',
    });
    expect(errors).toBeUndefined();
    expect(data?.register).toMatchObject({ success: true, errors: null });
    expect(data?.register.token).toMatch(/^eyJ/);
    expect(data?.register.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
  });

  it('stores only the digest of refresh tokens', async () => {
    const { data } = await api.gql(TokenAuthDocument, { username: 'ada', password: PASSWORD });
    const raw = data!.tokenAuth.refreshToken!;
    const record = await api.services.tokenStore.find(digestToken(raw));
    expect(record).toMatchObject({ digest: digestToken(raw), userId: data!.tokenAuth.user!.pk });
    expect(JSON.stringify(record)).not.toContain(raw);
  });

  it('signs in by username or email in any case, and me answers with JWT and Bearer prefixes', async () => {
    for (const login of [{ username: 'ADA' }, { email: 'Ada@Example.COM' }]) {
      const { data } = await api.gql(TokenAuthDocument, { ...login, password: PASSWORD });
      const result = data!.tokenAuth;
      expect(result).toMatchObject({ success: true, errors: null, unarchiving: false });
      expect(result.user).toMatchObject({
        username: 'ada',
        email: 'ada@example.com',
        firstName: 'Ada',
        verified: false,
      });
      expect(result.user!.lastLogin).not.toBeNull();
      expect(result.payload).toMatchObject({ username: 'ada', sub: String(result.user!.pk) });
      expect(result.payload!.exp).toBe(Number(result.payload!.iat) + 300);
      expect(result.refreshExpiresIn).toBe(Math.floor(api.clock.now().getTime() / 1000) + 7 * 24 * 3600);
      for (const prefix of ['JWT', 'Bearer'] as const) {
        const me = await api.gql(MeDocument, {}, { token: result.token!, prefix });
        expect(me.data?.me).toMatchObject({
          username: 'ada',
          pk: result.user!.pk,
          isStaff: false,
          archived: false,
        });
        expect(Buffer.from(me.data!.me!.id, 'base64').toString()).toBe(`UserNode:${result.user!.pk}`);
      }
    }
  });

  it('treats anonymous, malformed and expired tokens as anonymous', async () => {
    expect((await api.gql(MeDocument, {})).data).toEqual({ me: null });
    expect((await api.gql(MeDocument, {}, { token: 'not-a-jwt' })).data).toEqual({ me: null });
    const { data } = await api.gql(TokenAuthDocument, { username: 'ada', password: PASSWORD });
    const token = data!.tokenAuth.token!;
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: '999' }),
    ).toString('base64url');
    expect((await api.gql(MeDocument, {}, { token: `${header}.${forged}.${signature}` })).data).toEqual({
      me: null,
    });
    api.clock.advance(301_000);
    try {
      expect((await api.gql(MeDocument, {}, { token })).data).toEqual({ me: null });
    } finally {
      api.clock.advance(-301_000);
    }
  });

  it('verifyToken answers the payload, invalid_token or expired_token', async () => {
    const { data } = await api.gql(TokenAuthDocument, { username: 'ada', password: PASSWORD });
    const token = data!.tokenAuth.token!;
    const ok = await api.gql(VerifyTokenDocument, { token });
    expect(ok.data?.verifyToken).toMatchObject({ success: true, errors: null, payload: { username: 'ada' } });
    const bad = await api.gql(VerifyTokenDocument, { token: `${token}x` });
    expect(bad.data?.verifyToken.errors).toEqual({
      nonFieldErrors: [{ code: 'invalid_token', message: 'Invalid token.' }],
    });
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${token.split('.')[1]}.`;
    expect(
      (await api.gql(VerifyTokenDocument, { token: unsigned })).data?.verifyToken.errors?.nonFieldErrors?.[0]
        ?.code,
    ).toBe('invalid_token');
    api.clock.advance(301_000);
    try {
      const expired = await api.gql(VerifyTokenDocument, { token });
      expect(expired.data?.verifyToken).toMatchObject({
        success: false,
        errors: { nonFieldErrors: [{ code: 'expired_token' }] },
      });
    } finally {
      api.clock.advance(-301_000);
    }
  });

  it('refuses duplicate email and username in any case, secondary addresses included', async () => {
    const dupEmail = await api.gql(
      RegisterDocument,
      registration({ email: 'ADA@example.com', username: 'other' }),
    );
    expect(dupEmail.data?.register).toMatchObject({
      success: false,
      errors: { email: [{ code: 'unique' }] },
    });
    const dupName = await api.gql(
      RegisterDocument,
      registration({ email: 'other@example.com', username: 'AdA' }),
    );
    expect(dupName.data?.register).toMatchObject({
      success: false,
      errors: { username: [{ code: 'unique' }] },
    });
    expect(dupName.data?.register.token).toBeNull();
  });

  it('reports mismatched passwords on password2 and keeps nothing', async () => {
    const { data } = await api.gql(
      RegisterDocument,
      registration({ username: 'bob', email: 'bob@example.com', password2: 'different-Pass-1' }),
    );
    expect(data?.register).toMatchObject({
      success: false,
      errors: {
        password2: [{ code: 'password_mismatch', message: 'The two password fields didn’t match.' }],
      },
    });
    const login = await api.gql(TokenAuthDocument, { username: 'bob', password: PASSWORD });
    expect(login.data?.tokenAuth.success).toBe(false);
  });

  it.each([
    ['password_too_short', 'Sh0rt!'],
    ['password_too_common', 'password123'],
    ['password_entirely_numeric', '4839201746'],
    ['password_too_similar', 'carol.smith'],
    ['password_too_long', `A1-${'x'.repeat(70)}`],
  ])('applies the %s validator', async (code, password) => {
    const { data } = await api.gql(
      RegisterDocument,
      registration({
        username: 'carol.smith',
        email: 'carol@example.com',
        password1: password,
        password2: password,
      }),
    );
    expect(data?.register.success).toBe(false);
    expect(data?.register.errors?.password2?.map((error) => error.code)).toContain(code);
  });

  it('reports every invalid field at once', async () => {
    const { data } = await api.gql(RegisterDocument, {
      email: 'not an email',
      username: 'bad name!',
      password1: '',
      password2: '',
    });
    expect(data?.register.success).toBe(false);
    expect(data?.register.errors).toMatchObject({
      email: [{ code: 'invalid' }],
      username: [{ code: 'invalid' }],
      password1: [{ code: 'required' }],
      password2: [{ code: 'required' }],
    });
    const long = await api.gql(
      RegisterDocument,
      registration({ email: `${'a'.repeat(250)}@x.io`, username: 'u'.repeat(151) }),
    );
    expect(long.data?.register.errors).toMatchObject({
      email: [{ code: 'max_length' }],
      username: [{ code: 'max_length' }],
    });
  });

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await api.gql(TokenAuthDocument, { username: 'ada', password: 'wrong-Password-1' });
    const unknown = await api.gql(TokenAuthDocument, { username: 'nobody', password: 'wrong-Password-1' });
    const unknownEmail = await api.gql(TokenAuthDocument, {
      email: 'nobody@example.com',
      password: PASSWORD,
    });
    const expected = {
      success: false,
      errors: {
        nonFieldErrors: [{ code: 'invalid_credentials', message: 'Please, enter valid credentials.' }],
      },
      token: null,
      refreshToken: null,
      user: null,
    };
    expect(wrong.data?.tokenAuth).toMatchObject(expected);
    expect(unknown.data).toEqual(wrong.data);
    expect(unknownEmail.data).toEqual(wrong.data);
  });

  it('needs exactly one of username or email, and a password', async () => {
    const both = await api.gql(TokenAuthDocument, {
      username: 'ada',
      email: 'ada@example.com',
      password: PASSWORD,
    });
    expect(both.data?.tokenAuth.errors).toMatchObject({ nonFieldErrors: [{ code: 'invalid' }] });
    const neither = await api.gql(TokenAuthDocument, { password: PASSWORD });
    expect(neither.data?.tokenAuth.errors).toMatchObject({ nonFieldErrors: [{ code: 'required' }] });
    const noPassword = await api.gql(TokenAuthDocument, { username: 'ada', password: '' });
    expect(noPassword.data?.tokenAuth.errors).toMatchObject({ password: [{ code: 'required' }] });
  });

  it('rejects malformed requests with clear errors and stays up', async () => {
    const malformed = await api.post('{"query": "mutation {', {});
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({
      errors: [{ message: 'Malformed JSON body.', extensions: { code: 'BAD_REQUEST' } }],
    });

    const syntax = await api.post(JSON.stringify({ query: 'mutation { register(' }));
    expect(syntax.status).toBe(400);
    expect(JSON.stringify(syntax.json)).toContain('Syntax Error');

    const missingArg = await api.post(
      JSON.stringify({ query: 'mutation { register(email: "x@y.io") { success } }' }),
    );
    expect(missingArg.status).toBe(400);
    const messages = (missingArg.json as { errors: Array<{ message: string }> }).errors.map(
      (error) => error.message,
    );
    expect(messages).toContain(
      'Field "register" argument "username" of type "String!" is required, but it was not provided.',
    );

    const notJson = await api.post('query=1', { 'content-type': 'text/plain' });
    expect(notJson.status).toBeGreaterThanOrEqual(400);

    const tooLarge = await api.post(JSON.stringify({ query: `{ me { id } } #${'x'.repeat(200_000)}` }));
    expect(tooLarge.status).toBe(413);

    const health = await fetch(`${api.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', tokenStore: 'ok' } });
  });
});

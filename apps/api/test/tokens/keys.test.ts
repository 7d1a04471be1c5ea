import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { MeDocument, RefreshTokenDocument, VerifyTokenDocument } from '@gql-auth/sdk';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import { codeOf, createUser, signIn } from './fixtures.js';

const ecPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
const edJwk = (kid: string) => ({
  ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
  kid,
});
const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

describe('signing keys: ES256/EdDSA, kid, JWKS and rotation', () => {
  const oldKey = ecPem();
  const newKey = edJwk('ed-next');
  let before: TestInstance;
  let after: TestInstance;
  let username: string;

  beforeAll(async () => {
    before = await createTestInstance('postgres+redis', {
      JWT_PRIVATE_KEYS: JSON.stringify([oldKey]),
      JWT_ISSUER: 'https://auth.example.com',
      JWT_AUDIENCE: 'example-api',
    });
    // The same deployment after rotation: same database, Redis and secret; new key first, old kept.
    const config = before.services.config;
    after = await createTestInstance('postgres+redis', {
      DATABASE_URL: config.databaseUrl!,
      REDIS_KEY_PREFIX: config.redis!.keyPrefix,
      JWT_SECRET: config.jwt.secret!,
      JWT_PRIVATE_KEYS: JSON.stringify([newKey, oldKey]),
      JWT_ISSUER: 'https://auth.example.com',
      JWT_AUDIENCE: 'example-api',
    });
    username = await createUser(before, 'keys');
  });
  afterAll(async () => {
    await after?.close();
    await before?.close();
  });

  it('signs ES256 with a kid, iss and aud; the JWKS lists public keys only', async () => {
    const session = await signIn(before, username);
    expect(header(session.token)).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.any(String) });
    expect(claims(session.token)).toMatchObject({ iss: 'https://auth.example.com', aud: 'example-api' });
    const jwks = (await (await fetch(`${before.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      alg: 'ES256',
      use: 'sig',
      kid: header(session.token).kid,
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('after rotation: new tokens use the new key, tokens of the previous key still verify', async () => {
    const old = await signIn(before, username);
    const fresh = await signIn(after, username);
    expect(header(fresh.token)).toMatchObject({ alg: 'EdDSA', kid: 'ed-next' });
    expect((await after.gql(MeDocument, {}, { token: old.token })).data?.me?.username).toBe(username);
    expect((await after.gql(VerifyTokenDocument, { token: old.token })).data?.verifyToken.success).toBe(true);
    // The old deployment does not know the new key.
    expect((await before.gql(MeDocument, {}, { token: fresh.token })).data?.me).toBeNull();
    // Refresh tokens are independent of signing keys: the old session continues on the new key.
    const refreshed = await after.gql(RefreshTokenDocument, { refreshToken: old.refreshToken });
    expect(header(refreshed.data!.refreshToken.token!).kid).toBe('ed-next');

    const jwks = (await (await fetch(`${after.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['ed-next', header(old.token).kid]);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    // Once the previous key is dropped from the list, its tokens stop verifying.
    const dropped = await createTestInstance('postgres+redis', {
      JWT_PRIVATE_KEYS: JSON.stringify([newKey]),
      JWT_ISSUER: 'https://auth.example.com',
      JWT_AUDIENCE: 'example-api',
    });
    try {
      expect(codeOf((await dropped.gql(VerifyTokenDocument, { token: old.token })).data?.verifyToken)).toBe(
        'invalid_token',
      );
    } finally {
      await dropped.close();
    }
  });

  it('rejects an HS256 token "signed" with the public key (algorithm confusion)', async () => {
    const real = await signIn(before, username);
    const jwks = (await (await fetch(`${before.url}/.well-known/jwks.json`)).json()) as { keys: object[] };
    const forged = await new SignJWT(claims(real.token))
      .setProtectedHeader({ alg: 'HS256', kid: header(real.token).kid })
      .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    expect(codeOf((await before.gql(VerifyTokenDocument, { token: forged })).data?.verifyToken)).toBe(
      'invalid_token',
    );
  });
});

describe('HS256 secret rotation: JWT_PREVIOUS_SECRETS verify, never sign', () => {
  const oldSecret = randomBytes(32).toString('base64url');
  const newSecret = randomBytes(32).toString('base64url');
  let before: TestInstance;
  const started: TestInstance[] = [];
  /** The same deployment (database, Redis) restarted with other secrets. */
  const restart = async (env: Record<string, string>) => {
    const config = before.services.config;
    const instance = await createTestInstance('postgres+redis', {
      DATABASE_URL: config.databaseUrl!,
      REDIS_KEY_PREFIX: config.redis!.keyPrefix,
      ...env,
    });
    started.push(instance);
    return instance;
  };

  beforeAll(async () => {
    before = await createTestInstance('postgres+redis', { JWT_SECRET: oldSecret });
  });
  afterAll(async () => {
    for (const instance of started) await instance.close();
    await before?.close();
  });

  it('tokens of the previous secret keep working until dropped; new tokens use the new secret', async () => {
    const username = await createUser(before, 'hsrot');
    const old = await signIn(before, username);
    const after = await restart({ JWT_SECRET: newSecret, JWT_PREVIOUS_SECRETS: oldSecret });

    expect((await after.gql(MeDocument, {}, { token: old.token })).data?.me?.username).toBe(username);
    expect((await after.gql(VerifyTokenDocument, { token: old.token })).data?.verifyToken.success).toBe(true);
    const fresh = await signIn(after, username);
    expect(header(fresh.token).kid).not.toBe(header(old.token).kid);
    // Signed with the new secret: the old deployment cannot read it.
    expect((await before.gql(MeDocument, {}, { token: fresh.token })).data?.me).toBeNull();
    // A shared secret is never published, previous or not.
    expect(await (await fetch(`${after.url}/.well-known/jwks.json`)).json()).toEqual({ keys: [] });

    const dropped = await restart({ JWT_SECRET: newSecret });
    expect(codeOf((await dropped.gql(VerifyTokenDocument, { token: old.token })).data?.verifyToken)).toBe(
      'invalid_token',
    );
    expect((await dropped.gql(MeDocument, {}, { token: fresh.token })).data?.me?.username).toBe(username);
  });

  it('refuses a previous secret equal to the current one, without printing it', async () => {
    const failure = await restart({ JWT_SECRET: newSecret, JWT_PREVIOUS_SECRETS: newSecret }).catch(
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/JWT_PREVIOUS_SECRETS: a secret is listed twice/);
    expect((failure as Error).message).not.toContain(newSecret);
  });
});

describe('malformed access tokens are rejected (HS256 default)', () => {
  let api: TestInstance;
  let token: string;

  beforeAll(async () => {
    api = await createTestInstance('embedded', { JWT_AUDIENCE: 'example-api' });
    token = (await signIn(api, await createUser(api, 'bad'))).token;
  });
  afterAll(async () => {
    await api?.close();
  });

  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const hs = (payload: object, secret: string, kid = header(token).kid) =>
    new SignJWT({ ...payload })
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(new TextEncoder().encode(secret));

  it('accepts the genuine token', async () => {
    expect((await api.gql(VerifyTokenDocument, { token })).data?.verifyToken.success).toBe(true);
    expect(header(token).kid).toMatch(/^hs-[0-9a-f]{12}$/);
    const jwks = await (await fetch(`${api.url}/.well-known/jwks.json`)).json();
    expect(jwks).toEqual({ keys: [] });
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT', kid: header(token).kid })}.${token.split('.')[1]}.`],
    ['wrong key', () => hs(claims(token), randomBytes(32).toString('hex'))],
    ['wrong audience', () => hs({ ...claims(token), aud: 'other-api' }, api.services.config.jwt.secret!)],
    ['missing audience', () => hs({ ...claims(token), aud: undefined }, api.services.config.jwt.secret!)],
    ['unknown kid', () => hs(claims(token), api.services.config.jwt.secret!, 'hs-000000000000')],
    [
      'tampered payload',
      () => {
        const [h, , s] = token.split('.');
        return `${h}.${b64({ ...claims(token), sub: '999', username: 'admin' })}.${s}`;
      },
    ],
    ['garbage', () => 'not.a.jwt'],
    ['empty segments', () => '..'],
    ['non-numeric sub', () => hs({ ...claims(token), sub: 'admin' }, api.services.config.jwt.secret!)],
  ])('%s', async (_name, make) => {
    const bad = await make();
    const verified = await api.gql(VerifyTokenDocument, { token: bad });
    expect(verified.data?.verifyToken).toMatchObject({
      success: false,
      errors: { nonFieldErrors: [{ code: 'invalid_token' }] },
      payload: null,
    });
    expect((await api.gql(MeDocument, {}, { token: bad })).data?.me).toBeNull();
  });

  it('an expired token answers expired_token', async () => {
    api.clock.advance(301_000);
    try {
      expect(codeOf((await api.gql(VerifyTokenDocument, { token })).data?.verifyToken)).toBe('expired_token');
    } finally {
      api.clock.advance(-301_000);
    }
  });
});

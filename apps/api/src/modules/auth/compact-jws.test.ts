import { generateKeyPairSync } from 'node:crypto';
import { compactVerify, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestClock } from '../../../test/support/test-clock.js';
import { createAccessTokens } from './access-tokens.js';
import { decodeCompact, signCompact, verifyCompact } from './compact-jws.js';
import { createSigningKeys, type PrivateKeyInput, type SigningAlgorithm } from './signing-keys.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ecPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
const edPem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('compact JWS on node:crypto', () => {
  const rings: Array<[SigningAlgorithm, PrivateKeyInput[]]> = [
    ['HS256', []],
    ['ES256', [ecPem()]],
    ['EdDSA', [edPem()]],
  ];
  for (const [alg, privateKeys] of rings) {
    it(`${alg}: jose verifies what we sign, we verify what jose signs`, async () => {
      const keys = await createSigningKeys({ secret: 'k'.repeat(40), privateKeys });
      const key = keys.current;
      expect(key.alg).toBe(alg);
      const ours = signCompact(
        { alg, typ: 'JWT', kid: key.kid },
        { sub: '1', n: 2 },
        { alg, key: key.signKey },
      );
      const { payload } = await compactVerify(ours, key.verifyKey, { algorithms: [alg] });
      expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ sub: '1', n: 2 });

      const theirs = await new SignJWT({ sub: '3' })
        .setProtectedHeader({ alg, kid: key.kid })
        .sign(key.signKey);
      expect(verifyCompact(decodeCompact(theirs)!, { alg, key: key.verifyKey })).toEqual({ sub: '3' });
    });
  }

  it('refuses tampering, truncation, crit headers and non-object payloads', async () => {
    const keys = await createSigningKeys({ secret: 'k'.repeat(40), privateKeys: [] });
    const signer = { alg: 'HS256' as const, key: keys.current.signKey };
    const token = signCompact({ alg: 'HS256', kid: keys.current.kid }, { sub: '1' }, signer);
    const [h, p, s] = token.split('.') as [string, string, string];
    const check = (candidate: string) => {
      const decoded = decodeCompact(candidate);
      return decoded ? verifyCompact(decoded, signer) : null;
    };
    expect(check(token)).toEqual({ sub: '1' });
    expect(check(`${h}.${b64({ sub: '2' })}.${s}`)).toBeNull();
    expect(check(`${h}.${p}.${s.slice(0, -2)}`)).toBeNull();
    expect(check(`${h}.${p}.`)).toBeNull();
    expect(check(`${h}.${p}`)).toBeNull();
    expect(check(`${h}.${p}.${s}.x`)).toBeNull();
    expect(check(`${h}.${p}.${s}=`)).toBeNull();
    expect(decodeCompact(`${b64({ alg: 'HS256', crit: ['exp'], exp: 1 })}.${p}.${s}`)).toBeNull();
    expect(decodeCompact(`${b64({ alg: 'HS256', b64: false })}.${p}.${s}`)).toBeNull();
    expect(decodeCompact(`${b64(['HS256'])}.${p}.${s}`)).toBeNull();
    const arrayPayload = signCompact({ alg: 'HS256' }, [1, 2], signer);
    expect(check(arrayPayload)).toBeNull();
  });
});

describe('access-token claims, as jose checked them', () => {
  const settings = async (extra: { issuer?: string; audience?: string } = {}) => ({
    keys: await createSigningKeys({ secret: 's'.repeat(32), privateKeys: [] }),
    ttlSeconds: 60,
    leewaySeconds: 0,
    issuer: extra.issuer,
    audience: extra.audience,
  });
  const signWith = async (
    keys: Awaited<ReturnType<typeof settings>>['keys'],
    claims: Record<string, unknown>,
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: keys.current.kid })
      .sign(keys.current.signKey);

  it('needs sub, exp, iat and a numeric sub; honours nbf, iss and aud', async () => {
    const clock = createTestClock();
    const now = Math.floor(clock.now().getTime() / 1000);
    const s = await settings({ issuer: 'iss-a', audience: 'aud-a' });
    const tokens = createAccessTokens(s, clock);
    const base = { sub: '7', username: 'ada', iat: now, exp: now + 60, iss: 'iss-a', aud: 'aud-a' };
    const verdict = async (claims: Record<string, unknown>) =>
      (await tokens.verify(await signWith(s.keys, claims))).ok;
    expect(await verdict(base)).toBe(true);
    expect(await verdict({ ...base, aud: ['x', 'aud-a'] })).toBe(true);
    expect(await verdict({ ...base, aud: 'aud-b' })).toBe(false);
    expect(await verdict({ ...base, iss: 'iss-b' })).toBe(false);
    expect(await verdict({ ...base, iss: undefined })).toBe(false);
    expect(await verdict({ ...base, nbf: now + 30 })).toBe(false);
    expect(await verdict({ ...base, nbf: now - 1 })).toBe(true);
    expect(await verdict({ ...base, iat: undefined })).toBe(false);
    expect(await verdict({ ...base, iat: String(now) })).toBe(false);
    expect(await verdict({ ...base, exp: undefined })).toBe(false);
    expect(await verdict({ ...base, sub: 'admin' })).toBe(false);
    expect(await verdict({ ...base, username: 5 })).toBe(false);
    expect(await verdict({ ...base, sid: 5 })).toBe(false);
    // A wrong-issuer token is invalid even when expired: "expired" is only said of genuine tokens.
    expect(await tokens.verify(await signWith(s.keys, { ...base, iss: 'x', exp: now - 100 }))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await tokens.verify(await signWith(s.keys, { ...base, exp: now - 100 }))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('tokens we sign pass jose jwtVerify with the same options', async () => {
    const clock = createTestClock();
    const s = await settings({ issuer: 'iss-a', audience: 'aud-a' });
    const { token } = await createAccessTokens(s, clock).sign({ id: 3, username: 'bo' }, { sid: 'f' });
    const { payload } = await jwtVerify(token, s.keys.current.verifyKey, {
      algorithms: ['HS256'],
      currentDate: clock.now(),
      issuer: 'iss-a',
      audience: 'aud-a',
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    expect(payload).toMatchObject({ sub: '3', username: 'bo', sid: 'f' });
  });
});

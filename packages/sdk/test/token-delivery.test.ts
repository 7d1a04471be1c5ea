import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../../../apps/api/test/support/test-instance.js';
import { createClient, errorCodes, RefreshTokenDocument, TokenAuthDocument } from '../src/index.js';
import { PASSWORD, registerUser } from './support.js';

/** Node's fetch keeps no cookies, like a native app: record what each request asked and got. */
function recordingFetch() {
  const deliveries: Array<string | null> = [];
  const setCookies: string[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    deliveries.push(new Headers(init?.headers).get('x-token-delivery'));
    const response = await fetch(input, init);
    setCookies.push(...response.headers.getSetCookie());
    return response;
  };
  // Sign-out clears token cookies for every client (empty values): only a set one would carry a token.
  const tokenCookies = () => setCookies.filter((line) => /^JWT(-refresh-token)?=[^;]/.test(line));
  return { fetch: fetchFn, deliveries, tokenCookies };
}

describe('bearer mode against a cookie-mode server: the pair comes in the body, never as cookies', () => {
  let api: TestInstance;
  const now = () => api.clock.now().getTime();

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis', { COOKIE_MODE: 'true' });
    await registerUser(api, 'nat');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('asks with x-token-delivery: body on every request; signs in, refreshes and signs out by header', async () => {
    // Without the header a request with no Authorization is a cookie client: null tokens, cookies set.
    const plain = await api.request(TokenAuthDocument, { username: 'nat', password: PASSWORD });
    expect(plain.data?.tokenAuth).toMatchObject({ success: true, token: null, refreshToken: null });
    expect(plain.setCookies.some((line) => line.startsWith('JWT-refresh-token='))).toBe(true);

    const native = recordingFetch();
    const client = createClient({ url: `${api.url}/graphql`, mode: 'bearer', fetch: native.fetch, now });
    const result = await client.tokenAuth({ username: 'nat', password: PASSWORD });
    expect(result.success).toBe(true);
    expect(result.token).toMatch(/^ey/);
    expect(result.refreshToken).toMatch(/^rt_/);
    const signedIn = await client.getSession();
    expect(signedIn).toMatchObject({ token: result.token, refreshToken: result.refreshToken });
    expect((await client.me())?.username).toBe('nat');

    // Past the access token's lifetime: the refresh trades the stored refresh token for a new pair.
    api.clock.advance(301_000);
    expect((await client.me())?.username).toBe('nat');
    const refreshed = await client.getSession();
    expect(refreshed?.refreshToken).toMatch(/^rt_/);
    expect(refreshed?.refreshToken).not.toBe(result.refreshToken);
    expect(refreshed?.token).not.toBe(result.token);

    await client.signOut();
    expect(await client.getSession()).toBeNull();
    // The old refresh token died with the logout: the server revoked it, not just this client.
    const reuse = await api.request(
      RefreshTokenDocument,
      { refreshToken: refreshed!.refreshToken },
      { 'x-token-delivery': 'body' },
    );
    expect(errorCodes(reuse.data!.refreshToken)).toEqual(['invalid_token']);

    expect(native.deliveries.length).toBeGreaterThanOrEqual(5);
    expect(native.deliveries.every((value) => value === 'body')).toBe(true);
    expect(native.tokenCookies()).toEqual([]);
    client.close();
  });
});

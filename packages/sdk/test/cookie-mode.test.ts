import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../../../apps/api/test/support/test-instance.js';
import { createClient } from '../src/index.js';
import { PASSWORD, registerUser } from './support.js';

/**
 * What a browser does for cookie mode, in Node: keep the Set-Cookie values and send them back. Cookies
 * deleted by the server (expired in 1970) are dropped; other expiry is ignored because the server
 * runs on a manual clock that the test moves.
 */
function cookieJarFetch() {
  const jar = new Map<string, string>();
  const operations: string[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    operations.push(String((JSON.parse(String(init?.body)) as { operationName?: string }).operationName));
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', value = ''] = pair.trim().split(/=(.*)/s);
      const deleted = attributes.some((a) => /expires=.*1970/i.test(a)) || value === '';
      if (deleted) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  return { fetch: fetchFn, jar, operations };
}

describe('cookie mode: httpOnly cookies, CSRF header, refresh by cookie', () => {
  let api: TestInstance;
  const now = () => api.clock.now().getTime();

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis', { COOKIE_MODE: 'true' });
    await registerUser(api, 'ada');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('signs in, keeps no token in storage, refreshes once by cookie, signs out', async () => {
    const browser = cookieJarFetch();
    const client = createClient({
      url: `${api.url}/graphql`,
      mode: 'cookie',
      fetch: browser.fetch,
      csrfToken: () => browser.jar.get('csrftoken') ?? null,
      now,
    });
    const result = await client.tokenAuth({ username: 'ada', password: PASSWORD });
    expect(result.success).toBe(true);
    expect(browser.jar.has('JWT')).toBe(true);
    expect(browser.jar.has('JWT-refresh-token')).toBe(true);
    const session = await client.getSession();
    expect(session).toMatchObject({ token: null, refreshToken: null });
    expect(session?.accessExpiresAt).toBe(now() + 300_000);
    expect((await client.me())?.username).toBe('ada');

    api.clock.advance(301_000);
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.me()));
    expect(answers.map((me) => me?.username)).toEqual(Array(5).fill('ada'));
    expect(browser.operations.filter((name) => name === 'RefreshToken')).toHaveLength(1);

    await client.signOut();
    expect(await client.getSession()).toBeNull();
    expect(browser.jar.has('JWT-refresh-token')).toBe(false);
    expect(await client.me()).toBeNull();
  });
});

import {
  DeleteRefreshTokenCookieDocument,
  DeleteTokenCookieDocument,
  LogoutDocument,
  MeDocument,
  RefreshTokenDocument,
  RevokeTokenDocument,
  TokenAuthDocument,
  VerifyTokenCookieDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import { codeOf, createUser, PASSWORD } from './fixtures.js';

const APP_ORIGIN = 'https://app.example.com';

/** A browser's cookie jar, just enough of it: Set-Cookie in, Cookie header out. */
function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    cookies,
    take(setCookies: string[]) {
      for (const line of setCookies) {
        const [pair = ''] = line.split(';');
        const name = pair.slice(0, pair.indexOf('='));
        const value = pair.slice(pair.indexOf('=') + 1);
        if (/expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
        else cookies.set(name, decodeURIComponent(value));
      }
    },
    header: () => [...cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; '),
  };
}

describe('cookie mode', () => {
  let api: TestInstance;
  let username: string;

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis', {
      COOKIE_MODE: 'true',
      CSRF_TRUSTED_ORIGINS: APP_ORIGIN,
      COOKIE_SAME_SITE: 'strict',
    });
    username = await createUser(api, 'cookie');
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Signs in like the browser app: cookies set by the response, CSRF cookie readable. */
  async function browserSignIn() {
    const jar = cookieJar();
    const login = await api.request(
      TokenAuthDocument,
      { username, password: PASSWORD },
      { origin: APP_ORIGIN },
    );
    expect(login.data?.tokenAuth.success).toBe(true);
    jar.take(login.setCookies);
    const app = (extra: Record<string, string> = {}) => ({
      cookie: jar.header(),
      origin: APP_ORIGIN,
      'x-csrf-token': jar.cookies.get('csrftoken') ?? '',
      ...extra,
    });
    return { jar, login, app };
  }

  it('sets httpOnly access and refresh cookies plus a readable CSRF cookie on sign-in; the body carries no token', async () => {
    const { login, jar } = await browserSignIn();
    const access = login.setCookies.find((c) => c.startsWith('JWT='));
    const refresh = login.setCookies.find((c) => c.startsWith('JWT-refresh-token='));
    const csrf = login.setCookies.find((c) => c.startsWith('csrftoken='));
    for (const cookie of [access, refresh]) {
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).not.toMatch(/; Secure/); // NODE_ENV=test: Secure only by default in production
    }
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(jar.cookies.get('JWT')).toMatch(/^ey/);
    expect(jar.cookies.get('JWT-refresh-token')).toMatch(/^rt_/);
    // What a page script can read holds no token: only the claims and lifetimes the app schedules by.
    expect(login.data?.tokenAuth).toMatchObject({ token: null, refreshToken: null, payload: { username } });
    expect(login.data?.tokenAuth.refreshExpiresIn).toEqual(expect.any(Number));
    expect(JSON.stringify(login.data)).not.toContain(jar.cookies.get('JWT-refresh-token'));
    expect(JSON.stringify(login.data)).not.toContain(jar.cookies.get('JWT'));
  });

  it('rotates the CSRF cookie at sign-in: a value planted before it is worthless after', async () => {
    const planted = 'attacker-chosen-value';
    const login = await api.request(
      TokenAuthDocument,
      { username, password: PASSWORD },
      { origin: APP_ORIGIN, cookie: `csrftoken=${planted}` },
    );
    expect(login.data?.tokenAuth.success).toBe(true);
    const csrfCookies = login.setCookies.filter((c) => c.startsWith('csrftoken='));
    expect(csrfCookies).toHaveLength(1);
    const jar = cookieJar();
    jar.cookies.set('csrftoken', planted);
    jar.take(login.setCookies);
    const fresh = jar.cookies.get('csrftoken');
    expect(fresh).not.toBe(planted);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The planted value no longer matches the cookie the browser now holds.
    const withPlanted = await api.request(
      LogoutDocument,
      {},
      { cookie: jar.header(), origin: APP_ORIGIN, 'x-csrf-token': planted },
    );
    expect(withPlanted.status).toBe(403);
    const withFresh = await api.request(
      RefreshTokenDocument,
      {},
      { cookie: jar.header(), origin: APP_ORIGIN, 'x-csrf-token': fresh ?? '' },
    );
    expect(withFresh.data?.refreshToken).toMatchObject({ success: true, token: null, refreshToken: null });
    // A fresh client (no CSRF cookie yet) signing in gets exactly one CSRF cookie too.
    const first = await api.request(
      TokenAuthDocument,
      { username, password: PASSWORD },
      { origin: APP_ORIGIN },
    );
    expect(first.setCookies.filter((c) => c.startsWith('csrftoken='))).toHaveLength(1);
  });

  it('authenticates queries by cookie, and verifyToken reads the cookie when the argument is omitted', async () => {
    const { jar, app } = await browserSignIn();
    const me = await api.request(MeDocument, {}, { cookie: jar.header() });
    expect(me.data?.me?.username).toBe(username);
    const verified = await api.request(VerifyTokenCookieDocument, {}, app());
    expect(verified.data?.verifyToken).toMatchObject({ success: true, payload: { username } });
  });

  it('refreshToken and revokeToken read the refresh cookie and rewrite the cookies', async () => {
    const { jar, app } = await browserSignIn();
    const before = jar.cookies.get('JWT-refresh-token');
    api.clock.advance(30_000);
    const refreshed = await api.request(RefreshTokenDocument, {}, app());
    expect(refreshed.data?.refreshToken.success).toBe(true);
    expect(refreshed.data?.refreshToken).toMatchObject({
      token: null,
      refreshToken: null,
      payload: { username },
    });
    jar.take(refreshed.setCookies);
    const rotated = jar.cookies.get('JWT-refresh-token');
    expect(rotated).toMatch(/^rt_/);
    expect(rotated).not.toBe(before);

    const revoked = await api.request(RevokeTokenDocument, {}, app());
    expect(revoked.data?.revokeToken.success).toBe(true);
    jar.take(revoked.setCookies);
    expect(jar.cookies.has('JWT-refresh-token')).toBe(false);
    const after = await api.request(RefreshTokenDocument, { refreshToken: rotated });
    expect(codeOf(after.data?.refreshToken)).toBe('invalid_token');
  });

  it('refuses a cookie-authenticated mutation without the CSRF header, or from a foreign origin', async () => {
    const { jar, app } = await browserSignIn();
    // A cross-site form post: the browser attaches cookies, the attacker cannot add the header.
    const forged = await api.request(
      RefreshTokenDocument,
      {},
      { cookie: jar.header(), origin: 'https://evil.example' },
    );
    expect(forged.status).toBe(403);
    expect(forged.errors?.[0]?.extensions?.code).toBe('CSRF_FAILED');
    expect(forged.data).toBeUndefined();

    const noHeader = await api.request(LogoutDocument, {}, { cookie: jar.header(), origin: APP_ORIGIN });
    expect(noHeader.status).toBe(403);
    const wrongHeader = await api.request(LogoutDocument, {}, app({ 'x-csrf-token': 'guess' }));
    expect(wrongHeader.status).toBe(403);
    const foreignWithHeader = await api.request(LogoutDocument, {}, app({ origin: 'https://evil.example' }));
    expect(foreignWithHeader.status).toBe(403);

    // Nothing happened: the session still refreshes, through the proper channel.
    const ok = await api.request(RefreshTokenDocument, {}, app());
    expect(ok.data?.refreshToken.success).toBe(true);
    // Queries need no CSRF token: they change nothing and a foreign page cannot read the answer.
    expect((await api.request(MeDocument, {}, { cookie: jar.header() })).data?.me?.username).toBe(username);
  });

  it('a native client asks for its pair in the body (x-token-delivery: body, no cookies) and works by header', async () => {
    const login = await api.request(
      TokenAuthDocument,
      { username, password: PASSWORD },
      { 'x-token-delivery': 'body' },
    );
    const token = login.data!.tokenAuth.token!;
    const refreshToken = login.data!.tokenAuth.refreshToken!;
    expect(token).toMatch(/^ey/);
    expect(refreshToken).toMatch(/^rt_/);
    expect(login.setCookies.filter((c) => /^JWT(-refresh-token)?=/.test(c))).toEqual([]);
    expect((await api.gql(MeDocument, {}, { token, prefix: 'Bearer' })).data?.me?.username).toBe(username);
    // An Authorization header alone also marks a bearer client: the rotated pair comes back in the body.
    const bearer = await api.request(
      RefreshTokenDocument,
      { refreshToken },
      { authorization: `Bearer ${token}` },
    );
    expect(bearer.data?.refreshToken).toMatchObject({
      success: true,
      refreshToken: expect.stringMatching(/^rt_/),
    });
  });

  it('a request carrying the token cookies cannot ask for the body (what a page script would try)', async () => {
    const { app } = await browserSignIn();
    const refreshed = await api.request(RefreshTokenDocument, {}, app({ 'x-token-delivery': 'body' }));
    expect(refreshed.data?.refreshToken).toMatchObject({ success: true, token: null, refreshToken: null });
    const signIn = await api.request(
      TokenAuthDocument,
      { username, password: PASSWORD },
      app({ 'x-token-delivery': 'body' }),
    );
    expect(signIn.data?.tokenAuth).toMatchObject({ success: true, token: null, refreshToken: null });
  });

  it('a header credential ignores unchecked cookies', async () => {
    const { jar } = await browserSignIn();
    const native = await api.request(
      TokenAuthDocument,
      { username, password: PASSWORD },
      { 'x-token-delivery': 'body' },
    );
    const { token, refreshToken } = native.data!.tokenAuth;
    const bearer = await api.request(
      RefreshTokenDocument,
      { refreshToken },
      { authorization: `Bearer ${token}`, cookie: jar.header() },
    );
    expect(bearer.status).toBe(200);
    expect(bearer.data?.refreshToken.success).toBe(true);
  });

  it('deleteTokenCookie and deleteRefreshTokenCookie delete the cookies', async () => {
    const { jar, app } = await browserSignIn();
    const access = await api.request(DeleteTokenCookieDocument, {}, app());
    expect(access.data?.deleteTokenCookie).toEqual({ success: true, errors: null, deleted: true });
    jar.take(access.setCookies);
    expect(jar.cookies.has('JWT')).toBe(false);
    const refresh = await api.request(DeleteRefreshTokenCookieDocument, {}, app());
    expect(refresh.data?.deleteRefreshTokenCookie).toEqual({ success: true, errors: null, deleted: true });
    jar.take(refresh.setCookies);
    expect(jar.cookies.has('JWT-refresh-token')).toBe(false);
    expect(jar.cookies.has('csrftoken')).toBe(true);
  });

  it('logout revokes the session and deletes both cookies', async () => {
    const { jar, app } = await browserSignIn();
    const signedInRefresh = jar.cookies.get('JWT-refresh-token');
    const out = await api.request(LogoutDocument, {}, app());
    expect(out.data?.logout).toEqual({ success: true, errors: null });
    jar.take(out.setCookies);
    expect(jar.cookies.has('JWT')).toBe(false);
    expect(jar.cookies.has('JWT-refresh-token')).toBe(false);
    const again = await api.gql(RefreshTokenDocument, { refreshToken: signedInRefresh });
    expect(codeOf(again.data?.refreshToken)).toBe('invalid_token');
  });

  it('issues the CSRF cookie to a client that has none, so nobody is locked out', async () => {
    const first = await api.request(MeDocument, {}, {});
    expect(first.setCookies.some((c) => c.startsWith('csrftoken='))).toBe(true);
  });
});

describe('cookie settings', () => {
  const base = { JWT_SECRET: 'x'.repeat(32) };
  it('defaults Secure on in production and validates SameSite=None', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).cookies.secure).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).cookies.secure).toBe(false);
    expect(() => loadConfig({ ...base, COOKIE_SAME_SITE: 'none' })).toThrow(/COOKIE_SECURE/);
    const custom = loadConfig({
      ...base,
      COOKIE_MODE: 'on',
      COOKIE_ACCESS_NAME: 'at',
      COOKIE_REFRESH_NAME: 'rt',
      COOKIE_DOMAIN: 'example.com',
      COOKIE_PATH: '/graphql',
      COOKIE_SAME_SITE: 'none',
      COOKIE_SECURE: 'true',
      CSRF_TRUSTED_ORIGINS: 'https://a.example.com, https://b.example.com/',
    }).cookies;
    expect(custom).toMatchObject({
      enabled: true,
      accessName: 'at',
      refreshName: 'rt',
      domain: 'example.com',
      path: '/graphql',
      sameSite: 'none',
      secure: true,
      trustedOrigins: ['https://a.example.com', 'https://b.example.com'],
    });
    expect(() => loadConfig({ ...base, CSRF_TRUSTED_ORIGINS: 'not an origin' })).toThrow(
      /CSRF_TRUSTED_ORIGINS/,
    );
  });
});

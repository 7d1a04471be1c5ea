// CORS and cookie mode in a real browser: a front end on a second origin signs in against the API with
// cookies, reads its answers and sends CSRF-checked mutations; a page on an origin outside the allowlist
// can do none of it. Origins differ by port on 127.0.0.1 (cross-origin, same-site, as app. and api.
// subdomains of one site are), so SameSite=Lax cookies travel with `credentials: 'include'`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from '../../../scripts/test/support/chromium.js';
import { createTestInstance, type TestInstance } from '../../api/test/support/test-instance.js';
import { createUser, PASSWORD } from '../../api/test/tokens/fixtures.js';

/** An empty page on its own origin (port 0: ephemeral), the place a front end's scripts run from. */
async function startBlankOrigin(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>front end</title>');
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Runs a GraphQL call from the page's own script, the way a front end would. */
async function callFromPage(
  page: Page,
  apiUrl: string,
  query: string,
  withCsrf = false,
): Promise<{ ok: true; status: number; body: unknown } | { ok: false; error: string }> {
  return page.evaluate(
    async ({ apiUrl, query, withCsrf }) => {
      const csrf = /(?:^|; )csrftoken=([^;]*)/.exec(document.cookie)?.[1];
      try {
        const response = await fetch(`${apiUrl}/graphql`, {
          method: 'POST',
          credentials: 'include',
          headers: {
            'content-type': 'application/json',
            ...(withCsrf && csrf ? { 'x-csrf-token': csrf } : {}),
          },
          body: JSON.stringify({ query }),
        });
        return { ok: true as const, status: response.status, body: await response.json() };
      } catch (error) {
        return { ok: false as const, error: String(error) };
      }
    },
    { apiUrl, query, withCsrf },
  );
}

describe('CORS with an allowlist, cookie mode, in Chromium from a second origin', () => {
  let api: TestInstance;
  let browser: Browser;
  let allowed: { url: string; server: Server };
  let foreign: { url: string; server: Server };
  let username: string;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    allowed = await startBlankOrigin();
    foreign = await startBlankOrigin();
    api = await createTestInstance('postgres+redis', {
      COOKIE_MODE: 'true',
      CSRF_TRUSTED_ORIGINS: allowed.url,
      PUBLIC_APP_URL: allowed.url,
    });
    username = await createUser(api, 'cors');
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    for (const origin of [allowed, foreign]) await new Promise((resolve) => origin?.server.close(resolve));
  });

  it('the allowed origin signs in by cookie (no token in the body), reads `me` and refreshes with the CSRF header', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(allowed.url);
    const signIn = await callFromPage(
      page,
      api.url,
      `mutation { tokenAuth(username: "${username}", password: "${PASSWORD}") { success token refreshToken payload } }`,
    );
    expect(signIn).toMatchObject({
      ok: true,
      status: 200,
      body: {
        data: { tokenAuth: { success: true, token: null, refreshToken: null, payload: { username } } },
      },
    });
    // The token cookies are httpOnly: the page's script sees the CSRF cookie and nothing else.
    const visible = await page.evaluate(() => document.cookie);
    expect(visible).toMatch(/^csrftoken=[A-Za-z0-9_-]+$/);
    const cookieNames = (await context.cookies(api.url)).map((cookie) => cookie.name).sort();
    expect(cookieNames).toEqual(['JWT', 'JWT-refresh-token', 'csrftoken']);

    expect(await callFromPage(page, api.url, '{ me { username } }')).toMatchObject({
      ok: true,
      body: { data: { me: { username } } },
    });
    // A preflighted, cookie-authenticated mutation with the CSRF header.
    expect(
      await callFromPage(page, api.url, 'mutation { refreshToken { success token refreshToken } }', true),
    ).toMatchObject({
      ok: true,
      body: { data: { refreshToken: { success: true, token: null, refreshToken: null } } },
    });
    await context.close();
  });

  it('a page on an origin outside the allowlist can read nothing and its preflighted mutation never runs', async () => {
    const context = await browser.newContext();
    // Signed in on the allowed origin first: the browser holds the session cookies for the API's host.
    const app = await context.newPage();
    await app.goto(allowed.url);
    await callFromPage(
      app,
      api.url,
      `mutation { tokenAuth(username: "${username}", password: "${PASSWORD}") { success } }`,
    );
    const before = (await context.cookies(api.url)).find(
      (cookie) => cookie.name === 'JWT-refresh-token',
    )?.value;
    expect(before).toMatch(/^rt_/);

    const page = await context.newPage();
    await page.goto(foreign.url);
    const read = await callFromPage(page, api.url, '{ me { username } }');
    expect(read).toEqual({ ok: false, error: expect.stringMatching(/Failed to fetch/) });
    const mutation = await callFromPage(page, api.url, 'mutation { refreshToken { success } }', true);
    expect(mutation).toEqual({ ok: false, error: expect.stringMatching(/Failed to fetch/) });
    // The refresh cookie was not rotated: the mutation did not run.
    const after = (await context.cookies(api.url)).find(
      (cookie) => cookie.name === 'JWT-refresh-token',
    )?.value;
    expect(after).toBe(before);
    await context.close();
  });

  it('answers preflights with credentials only for allowed origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-csrf-token',
        },
      });
    const ok = await preflight(allowed.url);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed.url);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')).toContain('x-csrf-token');
    const refused = await preflight(foreign.url);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

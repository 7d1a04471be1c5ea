// The built GraphiQL page in a real browser, served by the API: it renders, runs a query against the
// API, and every request it makes (scripts, styles, fonts, Monaco's workers, the query) goes to the
// API's own origin, with no Content-Security-Policy violation.
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../../../apps/api/test/support/test-instance.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../../scripts/test/support/chromium.js';
import { isBuilt } from '../index.js';

describe('GraphiQL page in Chromium', () => {
  let api: TestInstance;
  let browser: Browser;

  beforeAll(async () => {
    // `npm test` builds it (the bootstrap install); a bare `vitest run` on a fresh clone would not.
    if (!isBuilt()) throw new Error('packages/graphiql-page is not built: run `npm run build` first');
    api = await createTestInstance('embedded', { GRAPHIQL: 'true' });
    browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('loads everything from the API origin and runs a query there', async () => {
    const origin = new URL(api.url).origin;
    const context = await browser.newContext();
    const page = await context.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    // Workers' requests count too: the context sees every request of the page and its workers.
    context.on('request', (request) => requested.push(request.url()));
    context.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    try {
      const response = await page.goto(`${api.url}/graphql`);
      expect(response?.status()).toBe(200);
      const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
      await editor.waitFor({ timeout: 20_000 });
      // Replace the welcome text with a query and run it (Ctrl+Enter), as a user would.
      await editor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{ __typename }');
      const answered = page.waitForResponse(
        (r) => r.url() === `${api.url}/graphql` && r.request().method() === 'POST',
      );
      await page.keyboard.press('ControlOrMeta+Enter');
      expect((await answered).status()).toBe(200);
      await expect
        // Monaco renders spaces as no-break spaces: \s matches both. innerText, not textContent: the
        // assertion is about the text a person sees in the response pane.
        // biome-ignore lint/performance/useDomNodeTextContent: rendered text is the point of this check
        .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 10_000 })
        .toMatch(/"__typename":\s+"Query"/);

      const foreign = requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
      expect(foreign).toEqual([]);
      expect(requested.some((url) => url.includes('/graphiql/assets/') && url.includes('.worker'))).toBe(
        true,
      );
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

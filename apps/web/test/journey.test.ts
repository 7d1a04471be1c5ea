import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegisterDocument, TokenAuthDocument } from '../../../packages/sdk/src/index.js';
import { CHROMIUM_ARGS, ensureChromium } from '../../../scripts/test/support/chromium.js';
import { type SmtpCapture, startSmtpCapture } from '../../api/test/support/smtp-capture.js';
import { createTestInstance, type TestInstance } from '../../api/test/support/test-instance.js';
import { PAGE_SIZE } from '../src/pages/admin-paging.js';
import { type StaticServer, startStaticServer } from './support/static-server.js';

const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCREENSHOTS = join(WEB_ROOT, 'test-results', 'screenshots');
const PASSWORD = 'correct-Horse-42';

/** The production build, as users get it (vitest's NODE_ENV=test would give React's development build). */
function buildApp(outDir: string) {
  const vite = join(WEB_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: WEB_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
}

/**
 * The example app in a real browser against the real API (PostgreSQL, Redis, SMTP on loopback): the
 * production build served the way a reverse proxy would, `/graphql` on the same origin.
 */
describe('web app journey in Chromium', () => {
  let smtp: SmtpCapture;
  let web: StaticServer;
  let api: TestInstance;
  let browser: Browser;
  let outDir: string;

  beforeAll(async () => {
    const executablePath = ensureChromium();
    outDir = await mkdtemp(join(tmpdir(), 'web-dist-'));
    buildApp(outDir);
    await mkdir(SCREENSHOTS, { recursive: true });
    smtp = await startSmtpCapture();
    web = await startStaticServer(outDir);
    api = await createTestInstance('postgres+redis', { SMTP_URL: smtp.url, PUBLIC_APP_URL: web.url });
    web.setApiUrl(api.url);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await web?.close();
    await smtp?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** The link of the last mail to `email` whose path starts with `/<path>/`, as the user clicks it. */
  function linkIn(email: string, path: string): string {
    const match = new RegExp(`${web.url}/${path}/[A-Za-z0-9_-]+`).exec(smtp.lastTo(email).text);
    if (!match) throw new Error(`no ${path} link in the mail to ${email}`);
    return match[0];
  }

  async function signIn(page: Page, login: string, password: string) {
    await page.goto(`${web.url}/login`);
    await page.getByLabel('Username or email', { exact: true }).fill(login);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('register, activate by email, sign in, reload, change password, sessions, reset, sign out', async () => {
    const page = await browser.newPage();
    const email = 'mary@example.com';

    await page.goto(`${web.url}/register`);
    await page.getByLabel('Username', { exact: true }).fill('mary');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password again', { exact: true }).fill(`${PASSWORD}x`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByText('The two passwords do not match.').count()).toBe(1);
    await shot(page, '01-register-error');
    await page.getByLabel('Password again', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Account created.').waitFor();
    await shot(page, '02-register');

    await page.goto(linkIn(email, 'activate'));
    await page.getByText('Your email address is verified.').waitFor();
    await shot(page, '03-activate');

    await signIn(page, 'mary', 'wrong-password-1');
    await page.getByText('Wrong username, email or password.').waitFor();
    await shot(page, '04-login-error');
    await signIn(page, email, PASSWORD); // by email this time
    await page.getByTestId('profile-username').getByText('mary').waitFor();
    await shot(page, '05-profile');

    await page.reload();
    await page.getByTestId('profile-username').getByText('mary').waitFor();

    await page.getByLabel('First name', { exact: true }).fill('Mary');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('Saved.').waitFor();

    const newPassword = `${PASSWORD}-new`;
    await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password again', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    await shot(page, '06-password-changed');
    // Still signed in after the change (the SDK stored the new pair), also after a reload.
    await page.reload();
    await page.getByTestId('profile-username').getByText('mary').waitFor();

    await page.getByLabel('New secondary email', { exact: true }).fill('mary.work@example.com');
    await page.getByLabel('Current password (to confirm)', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Add secondary email' }).click();
    await page.getByText('We sent a verification link to mary.work@example.com.').waitFor();
    await page.goto(linkIn('mary.work@example.com', 'activate-secondary-email'));
    await page.getByText('Your secondary email address is verified.').waitFor();
    await shot(page, '06b-secondary-email-verified');
    await page.getByRole('link', { name: 'Back to your profile' }).click();
    await page.getByText('mary.work@example.com', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByTestId('session-row').first().waitFor();
    expect(await page.getByText('this device').count()).toBe(1);
    await shot(page, '07-sessions');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('gql-auth.example.session'))).toBeNull();
    await page.reload();
    await page.getByRole('link', { name: 'Register' }).waitFor();

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('we sent it a link').waitFor();
    await shot(page, '08-password-forgot');
    await page.goto(linkIn(email, 'password-reset'));
    const resetPassword = `${PASSWORD}-reset`;
    await page.getByLabel('New password', { exact: true }).fill(resetPassword);
    await page.getByLabel('New password again', { exact: true }).fill(resetPassword);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Your password is set.').waitFor();
    await shot(page, '09-password-reset');

    await signIn(page, 'mary', resetPassword);
    await page.getByTestId('profile-username').getByText('mary').waitFor();
    await page.close();
  }, 120_000);

  /** The admin page's rows and pager, as the staff user sees them. */
  async function adminPage(page: Page) {
    const rows = page.getByTestId('admin-user-row');
    return {
      status: () => page.getByTestId('admin-pager-status').textContent(),
      usernames: async () => (await rows.locator('td:first-child').allTextContents()).map((t) => t.trim()),
      next: page.getByRole('navigation', { name: 'user pages' }).getByRole('button', { name: 'Next' }),
      previous: page
        .getByRole('navigation', { name: 'user pages' })
        .getByRole('button', { name: 'Previous' }),
    };
  }

  it('the admin page: staff page through users and revoke their tokens; others are turned away', async () => {
    const register = (username: string) =>
      api.gql(RegisterDocument, {
        email: `${username}@example.com`,
        username,
        password1: PASSWORD,
        password2: PASSWORD,
      });
    // boss and carol first: the list is in sign-up order, so carol is on the first page.
    for (const username of ['boss', 'carol']) await register(username);
    // Enough users for a second page whatever the other tests registered.
    for (let index = 1; index <= PAGE_SIZE; index += 1) await register(`member${index}`);
    // carol signs in elsewhere too: a refresh token for the admin to revoke.
    await api.gql(TokenAuthDocument, { username: 'carol', password: PASSWORD });
    await api.services.db.orm.em
      .fork()
      .getConnection()
      .execute(`update "user" set is_staff = true, verified = true where username = 'boss'`, [], 'run');

    const page = await browser.newPage();
    await signIn(page, 'carol', PASSWORD);
    await page.getByTestId('profile-username').waitFor();
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.goto(`${web.url}/admin`);
    await page.getByText('The admin pages are for staff only.').waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await signIn(page, 'boss', PASSWORD);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByTestId('admin-user-row').getByText('carol', { exact: true }).waitFor();

    // The pager walks the Relay cursors: page 1, page 2, back, and the browser's back button.
    const admin = await adminPage(page);
    const status = (await admin.status())!;
    const total = Number(/· (\d+) users/.exec(status)?.[1]);
    expect(total).toBeGreaterThan(PAGE_SIZE);
    expect(status).toBe(`Page 1 of ${Math.ceil(total / PAGE_SIZE)} · ${total} users`);
    const first = await admin.usernames();
    expect(first).toHaveLength(PAGE_SIZE);
    expect(await admin.previous.isDisabled()).toBe(true);
    await admin.next.click();
    // The page number follows the URL at once, the rows when the next page arrives: wait for both.
    await expect.poll(admin.usernames).not.toEqual(first);
    await expect.poll(admin.status).toBe(`Page 2 of ${Math.ceil(total / PAGE_SIZE)} · ${total} users`);
    expect(page.url()).toContain('after=');
    const second = await admin.usernames();
    expect(second).toHaveLength(Math.min(PAGE_SIZE, total - PAGE_SIZE));
    expect(second.filter((name) => first.includes(name))).toEqual([]);
    if (total <= 2 * PAGE_SIZE) {
      expect(new Set([...first, ...second]).size).toBe(total);
      expect(await admin.next.isDisabled()).toBe(true);
    }
    await shot(page, '10-admin-page-2');
    await admin.previous.click();
    await expect.poll(admin.usernames).toEqual(first);
    expect(await admin.status()).toContain('Page 1 of');
    await page.goBack();
    await expect.poll(admin.usernames).toEqual(second);
    expect(await admin.status()).toContain('Page 2 of');
    await page.goBack();
    await expect.poll(admin.usernames).toEqual(first);

    await page
      .getByTestId('admin-user-row')
      .filter({ hasText: 'carol' })
      .getByRole('button', { name: 'Manage' })
      .click();
    const panel = page.getByRole('region', { name: 'manage carol' });
    await panel.getByTestId('admin-token-row').first().waitFor();
    const active = panel.getByRole('checkbox', { disabled: false });
    expect(await active.count()).toBeGreaterThan(0);
    await active.first().check();
    await panel.getByRole('button', { name: 'Revoke selected (1)' }).waitFor();
    await shot(page, '11-admin');
    await panel.getByRole('button', { name: /Revoke selected/ }).click();
    await panel.getByText('Revoke tokens: done.').waitFor();
    await panel.getByRole('button', { name: 'Revoke selected (0)' }).waitFor();
    await shot(page, '12-admin-revoked');
    await page.close();

    // A phone: the same page in a 375 px wide screen, rows as cards, nothing wider than the screen.
    const phone = await browser.newContext({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    await signIn(small, 'boss', PASSWORD);
    await small.getByTestId('profile-username').waitFor();
    await small.getByRole('link', { name: 'Admin' }).click();
    await small.getByTestId('admin-user-row').getByText('carol', { exact: true }).waitFor();
    await small
      .getByTestId('admin-user-row')
      .filter({ hasText: 'carol' })
      .getByRole('button', { name: 'Manage' })
      .click();
    await small
      .getByRole('region', { name: 'manage carol' })
      .getByTestId('admin-token-row')
      .first()
      .waitFor();
    const layout = await small.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      row: getComputedStyle(document.querySelector('[data-testid="admin-user-row"]')!).display,
    }));
    expect(layout.clientWidth).toBe(375);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
    expect(layout.row).toBe('block');
    await small.screenshot({ path: join(SCREENSHOTS, '13-admin-phone.png'), fullPage: true });
    await (await adminPage(small)).next.click();
    await expect.poll((await adminPage(small)).status).toContain('Page 2 of');
    expect(
      await small.evaluate(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      ),
    ).toBe(true);
    await small.screenshot({ path: join(SCREENSHOTS, '14-admin-phone-page-2.png'), fullPage: true });
    await phone.close();
  }, 180_000);

  it('tabs share one session: one refresh for two tabs (Web Locks), sign-out reaches every tab', async () => {
    await api.gql(RegisterDocument, {
      email: 'tabby@example.com',
      username: 'tabby',
      password1: PASSWORD,
      password2: PASSWORD,
    });
    const context = await browser.newContext();
    const [first, second] = [await context.newPage(), await context.newPage()];
    await signIn(first, 'tabby', PASSWORD);
    await first.getByTestId('profile-username').waitFor();
    await second.goto(`${web.url}/profile`);
    await second.getByTestId('profile-username').waitFor();

    // Both tabs reopen with an access token that is due: each wants a refresh at start-up.
    await first.evaluate(() => {
      const key = 'gql-auth.example.session';
      const session = JSON.parse(localStorage.getItem(key)!);
      localStorage.setItem(key, JSON.stringify({ ...session, accessExpiresAt: 0 }));
    });
    const before = web.operations.length;
    await Promise.all([first.reload(), second.reload()]);
    await first.getByTestId('profile-username').waitFor();
    await second.getByTestId('profile-username').waitFor();
    const sent = web.operations.slice(before);
    expect(sent.filter((name) => name === 'RefreshToken')).toHaveLength(1);
    expect(sent.filter((name) => name === 'Me')).toHaveLength(2);

    await first.getByRole('button', { name: 'Sign out', exact: true }).click();
    await first.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The other tab hears it through the storage event and drops the user from its header.
    await second.getByRole('link', { name: 'Register' }).waitFor();
    await context.close();
  }, 120_000);
});

import {
  MeDocument,
  PasswordChangeDocument,
  RefreshTokenDocument,
  RegisterDocument,
  SendPasswordResetEmailDocument,
  TokenAuthDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountKit, login, NEW_PASSWORD, PASSWORD, verifiedUser } from '../account/account-kit.js';
import { startSmtpCapture } from '../support/smtp-capture.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { TEST_REDIS_URL } from '../support/test-database.js';
import { createTestInstance } from '../support/test-instance.js';

const target = (url: string) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
};

/**
 * Failures injected at each step of the operations that write and then talk to another service:
 * an answer of success means the effect is there, an answer of failure means nothing was left.
 * SMTP and Redis sit behind TCP proxies; PostgreSQL is reached directly.
 */
describe('answers tell the truth, and mail never holds a database connection', () => {
  let kit: AccountKit;
  let smtpProxy: TcpProxy;
  let redis: TcpProxy;

  beforeAll(async () => {
    const smtp = await startSmtpCapture();
    smtpProxy = await startTcpProxy(target(smtp.url));
    redis = await startTcpProxy(target(TEST_REDIS_URL));
    const api = await createTestInstance(
      'postgres+redis',
      {
        SMTP_URL: smtpProxy.urlFor(smtp.url),
        SMTP_TIMEOUT_MS: '1500',
        PUBLIC_APP_URL: 'http://app.test',
        SITE_NAME: 'Test Site',
        DB_POOL_SIZE: '2',
        REDIS_COMMAND_TIMEOUT_MS: '300',
        REDIS_CONNECT_TIMEOUT_MS: '300',
      },
      { via: { redis: (url) => redis.urlFor(url) } },
    );
    kit = {
      api,
      smtp,
      async close() {
        await api.close();
        await smtp.close();
      },
    };
  });
  afterAll(async () => {
    await kit?.close();
    await smtpProxy?.close();
    await redis?.close();
  });

  const countUsers = async (username: string) => {
    const rows = await kit.api.services.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string }>>('select count(*) as n from "user" where "username" = ?', [username]);
    return Number(rows[0]!.n);
  };

  it('an SMTP blackhole stalls only the sends: with a pool of 2, six stalled resets leave me and sign-in fast', async () => {
    const user = await verifiedUser(kit, 'stallme');
    smtpProxy.set({ kind: 'blackhole' });
    try {
      const resets = Array.from({ length: 6 }, () =>
        kit.api.gql(SendPasswordResetEmailDocument, { email: user.email }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200)); // the sends are now waiting on SMTP
      const started = performance.now();
      const me = await kit.api.gql(MeDocument, {}, { token: user.token });
      const signIn = await kit.api.gql(TokenAuthDocument, { username: 'stallme', password: PASSWORD });
      const elapsed = performance.now() - started;
      expect(me.data?.me?.username).toBe('stallme');
      expect(signIn.data?.tokenAuth.success).toBe(true);
      expect(elapsed).toBeLessThan(1_000); // pooled connections are not held by the stalled sends
      const answers = await Promise.all(resets);
      for (const answer of answers) {
        expect(answer.data?.sendPasswordResetEmail.errors?.nonFieldErrors?.[0]?.code).toBe('email_fail');
      }
    } finally {
      smtpProxy.set({ kind: 'cut' });
      smtpProxy.set({ kind: 'pass' });
    }
    // email_fail left nothing: no reset token of the user exists.
    const rows = await kit.api.services.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: string }>>(
        `select count(*) as n from "email_token" where "user_id" = ? and "purpose" = 'password_reset'`,
        [user.pk],
      );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('register during an SMTP blackhole answers email_fail and leaves no account', async () => {
    smtpProxy.set({ kind: 'blackhole' });
    let answer: Awaited<ReturnType<typeof kit.api.gql<unknown, unknown>>>;
    try {
      answer = await kit.api.gql(RegisterDocument, {
        email: 'stalled@example.com',
        username: 'stalled',
        password1: PASSWORD,
        password2: PASSWORD,
      });
    } finally {
      smtpProxy.set({ kind: 'cut' });
      smtpProxy.set({ kind: 'pass' });
    }
    expect(answer.data).toMatchObject({
      register: { success: false, errors: { nonFieldErrors: [{ code: 'email_fail' }] } },
    });
    expect(await countUsers('stalled')).toBe(0);
  });

  it('register whose session cannot be opened after the commit answers success (the account and its mail exist)', async () => {
    // Fault injected at exactly that step: the real token store refuses to save the new session,
    // as during a Redis outage that began after the rate limits and the insert went through.
    const store = kit.api.services.tokenStore;
    const original = store.save;
    store.save = async () => {
      throw new Error('Command timed out');
    };
    let answer: Awaited<ReturnType<typeof kit.api.gql<unknown, unknown>>>;
    try {
      answer = await kit.api.gql(RegisterDocument, {
        email: 'redisless@example.com',
        username: 'redisless',
        password1: PASSWORD,
        password2: PASSWORD,
      });
    } finally {
      store.save = original;
    }
    expect(answer.data).toEqual({
      register: { success: true, errors: null, token: null, refreshToken: null },
    });
    expect(await countUsers('redisless')).toBe(1);
    expect(kit.smtp.tokenFor('redisless@example.com', 'activate')).toBeTruthy();
    expect((await login(kit, 'redisless')).success).toBe(true);
  });

  it('register during a Redis cut answers 503 and leaves nothing (the rate limit is checked first)', async () => {
    redis.set({ kind: 'cut' });
    let answer: Awaited<ReturnType<typeof kit.api.gql<unknown, unknown>>>;
    try {
      answer = await kit.api.gql(RegisterDocument, {
        email: 'cutoff@example.com',
        username: 'cutoff',
        password1: PASSWORD,
        password2: PASSWORD,
      });
    } finally {
      redis.set({ kind: 'pass' });
    }
    expect(answer.status).toBe(503);
    expect(answer.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(await countUsers('cutoff')).toBe(0);
    // Serving again once Redis is back (the client reconnects within about a second).
    await expect.poll(async () => (await login(kit, 'redisless')).success, { timeout: 5_000 }).toBe(true);
  });

  it('passwordChange whose session revocation fails after the commit answers success; old sessions still end', async () => {
    const user = await verifiedUser(kit, 'changeless');
    kit.api.clock.advance(1000);
    // Fault injected at exactly that step: the real store's revokeAllForUser times out once.
    const store = kit.api.services.tokenStore;
    const original = store.revokeAllForUser;
    store.revokeAllForUser = async () => {
      throw new Error('Command timed out');
    };
    let answer: Awaited<ReturnType<typeof kit.api.gql<unknown, unknown>>>;
    try {
      answer = await kit.api.gql(
        PasswordChangeDocument,
        { oldPassword: PASSWORD, newPassword1: NEW_PASSWORD, newPassword2: NEW_PASSWORD },
        { token: user.token },
      );
    } finally {
      store.revokeAllForUser = original;
    }
    expect(answer.data).toMatchObject({ passwordChange: { success: true, errors: null } });
    expect((await login(kit, 'changeless', NEW_PASSWORD)).success).toBe(true);
    // The old session was not revoked in Redis, but the database says it predates the change.
    const old = await kit.api.gql(RefreshTokenDocument, { refreshToken: user.refreshToken });
    expect(old.data?.refreshToken.errors?.nonFieldErrors?.[0]?.code).toBe('invalid_token');
  });

  it('sign-in whose audit write fails answers an error and leaves no live session behind', async () => {
    const user = await verifiedUser(kit, 'unaudited');
    const before = await kit.api.services.tokenStore.listForUser(user.pk, kit.api.clock.now());
    const audit = kit.api.services.audit;
    const original = audit.recordSignIn;
    audit.recordSignIn = async () => {
      throw new Error('Connection terminated unexpectedly');
    };
    let answer: Awaited<ReturnType<typeof kit.api.gql<unknown, unknown>>>;
    try {
      answer = await kit.api.gql(TokenAuthDocument, { username: 'unaudited', password: PASSWORD });
    } finally {
      audit.recordSignIn = original;
    }
    expect(answer.status).toBe(503);
    const after = await kit.api.services.tokenStore.listForUser(user.pk, kit.api.clock.now());
    const live = (records: typeof after) => records.filter((r) => !r.revokedAt && !r.rotatedAt).length;
    expect(live(after)).toBe(live(before));
  });
});

import { MeDocument, RefreshTokenDocument, TokenAuthDocument } from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxyMode, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { TEST_REDIS_URL, TEST_SERVER_URL } from '../support/test-database.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import { createUser, PASSWORD, signIn } from '../tokens/fixtures.js';

/**
 * Outages of PostgreSQL and Redis through a TCP proxy: every request answers within its bound
 * (a retryable 503 `SERVICE_UNAVAILABLE` while the dependency is gone), `/readyz` answers 503
 * within a second and names it, `/healthz` stays 200, and service resumes after the restore.
 */
const BOUNDS = {
  DB_CONNECT_TIMEOUT_MS: '400',
  DB_ACQUIRE_TIMEOUT_MS: '400',
  DB_STATEMENT_TIMEOUT_MS: '400',
  REDIS_CONNECT_TIMEOUT_MS: '300',
  REDIS_COMMAND_TIMEOUT_MS: '300',
  READINESS_TIMEOUT_MS: '300',
};
/** The longest a request may take: pool wait + connect + one statement's read timeout, and slack. */
const REQUEST_BOUND_MS = 2_500;

const target = (url: string) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
};

describe('bounded waits on PostgreSQL and Redis', () => {
  let api: TestInstance;
  let db: TcpProxy;
  let redis: TcpProxy;
  let username: string;

  beforeAll(async () => {
    db = await startTcpProxy(target(TEST_SERVER_URL));
    redis = await startTcpProxy(target(TEST_REDIS_URL));
    api = await createTestInstance('postgres+redis', BOUNDS, {
      via: { database: (url) => db.urlFor(url), redis: (url) => redis.urlFor(url) },
    });
    username = await createUser(api, 'outage');
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
    await redis?.close();
  });

  async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const started = performance.now();
    const value = await work();
    return { ms: performance.now() - started, value };
  }
  const readyz = () =>
    timed(async () => {
      const response = await fetch(`${api.url}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    });
  const healthz = async () => (await fetch(`${api.url}/healthz`)).status;

  /** Retries until `probe` passes: how long service takes to come back after a restore. */
  async function recovers(probe: () => Promise<boolean>, withinMs = 5_000): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < withinMs) {
      if (await probe().catch(() => false)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`not recovered within ${withinMs} ms`);
  }

  const outages: Array<[string, ProxyMode]> = [
    ['cut', { kind: 'cut' }],
    ['blackhole', { kind: 'blackhole' }],
  ];

  for (const [name, mode] of outages) {
    it(`Redis ${name}: refresh answers a retryable 503 in bound, readyz names the token store, then recovers`, async () => {
      const session = await signIn(api, username);
      redis.set(mode);
      try {
        const refresh = await timed(() =>
          api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken }),
        );
        expect(refresh.ms).toBeLessThan(REQUEST_BOUND_MS);
        expect(refresh.value.status).toBe(503);
        expect(refresh.value.errors?.[0]).toMatchObject({
          message: 'Service temporarily unavailable',
          extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
        });
        const ready = await readyz();
        expect(ready.ms).toBeLessThan(1_000);
        expect(ready.value).toMatchObject({ status: 503, body: { failing: ['tokenStore'] } });
        expect(await healthz()).toBe(200);
      } finally {
        redis.set({ kind: 'pass' });
      }
      await recovers(async () => (await readyz()).value.status === 200);
      // The refresh that failed decided nothing: the same token still rotates.
      const retry = await api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken });
      expect(retry.data?.refreshToken.success).toBe(true);
    });

    it(`PostgreSQL ${name}: sign-in and me answer a retryable 503 in bound, readyz names the database, then recover`, async () => {
      const session = await signIn(api, username);
      db.set(mode);
      try {
        const results = await Promise.all([
          timed(() => api.gql(TokenAuthDocument, { username, password: PASSWORD })),
          timed(() => api.gql(MeDocument, {}, { token: session.token })),
          // More concurrent requests than pooled connections: pool waits are bounded too.
          ...Array.from({ length: 12 }, () => timed(() => api.gql(MeDocument, {}, { token: session.token }))),
        ]);
        for (const result of results) {
          expect(result.ms).toBeLessThan(REQUEST_BOUND_MS);
          expect(result.value.status).toBe(503);
          expect(result.value.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
        }
        const ready = await readyz();
        expect(ready.ms).toBeLessThan(1_000);
        expect(ready.value).toMatchObject({ status: 503, body: { failing: ['database'] } });
        expect(await healthz()).toBe(200);
      } finally {
        db.set({ kind: 'pass' });
      }
      const ms = await recovers(async () => {
        const me = await api.gql(MeDocument, {}, { token: session.token });
        return me.data?.me?.username === username;
      });
      expect(ms).toBeLessThan(5_000);
      expect((await readyz()).value.status).toBe(200);
    });
  }

  it('a slow Redis within the command timeout is only slow, not an error', async () => {
    const session = await signIn(api, username);
    redis.set({ kind: 'slow', delayMs: 50 });
    try {
      const refresh = await api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken });
      expect(refresh.data?.refreshToken.success).toBe(true);
    } finally {
      redis.set({ kind: 'pass' });
    }
  });
});

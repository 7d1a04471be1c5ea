import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { SchemaSources } from '../../src/graphql/schema.js';
import { listenWithLimits } from '../../src/http/server-limits.js';
import type { createManualClock } from '../../src/modules/base/clock.js';
import { createServices, type ServiceOverrides, type Services } from '../../src/services.js';
import { createTestClock } from './test-clock.js';
import { createTestDatabase, deleteRedisKeys, TEST_REDIS_URL } from './test-database.js';

/** The two ways the system runs: production-like services, or the zero-config embedded defaults. */
export type TestMode = 'postgres+redis' | 'embedded';
export const TEST_MODES: readonly TestMode[] = ['postgres+redis', 'embedded'];

export interface GraphQLResponse<TData> {
  status: number;
  data?: TData | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface TestInstance {
  url: string;
  services: Services;
  clock: ReturnType<typeof createManualClock>;
  /** Runs a typed operation of the SDK against the server over HTTP. */
  gql<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options?: { token?: string; prefix?: 'JWT' | 'Bearer' },
  ): Promise<GraphQLResponse<TData>>;
  /** Sends a raw body, for malformed-request tests. */
  post(body: string, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  /**
   * Runs a typed operation with any headers (Cookie, Origin, x-csrf-token...) and returns the
   * response's Set-Cookie lines too: what cookie-mode tests need.
   */
  request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData> & { setCookies: string[] }>;
  close(): Promise<void>;
}

/**
 * The whole system for one test file: its own database (or embedded data dir), its own Redis key
 * prefix, a manual clock, a low bcrypt cost, and the real Express app on an ephemeral port.
 */
export async function createTestInstance(
  mode: TestMode,
  env: Record<string, string> = {},
  overrides: Pick<ServiceOverrides, 'logger' | 'spanProcessor'> & {
    /** Rewrites the service URLs, e.g. through a `tcp-proxy.ts` for outage tests. */
    via?: { database?(url: string): string; redis?(url: string): string };
    /** Replaces the generated SDL or resolver map (a schema variant, e.g. passwordless register). */
    schema?: SchemaSources;
  } = {},
): Promise<TestInstance> {
  const { via, schema, ...serviceOverrides } = overrides;
  const clock = createTestClock();
  const cleanups: Array<() => Promise<unknown>> = [];
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    BCRYPT_COST: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Suites not about limits mail and register far more often than a person would, all from
    // 127.0.0.1; the limits stay on (and counted in Redis), at ceilings those suites never reach.
    // test/abuse/ sets the real ones.
    RATE_LIMIT_MAIL_ADDRESS: '1000/3600',
    RATE_LIMIT_MAIL_IP: '1000/3600',
    RATE_LIMIT_REGISTER_IP: '1000/3600',
  };
  if (mode === 'postgres+redis') {
    const database = await createTestDatabase('api');
    cleanups.push(() => database.drop());
    const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
    cleanups.push(() => deleteRedisKeys(keyPrefix));
    Object.assign(base, {
      DATABASE_URL: via?.database?.(database.url) ?? database.url,
      REDIS_URL: via?.redis?.(TEST_REDIS_URL) ?? TEST_REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
    });
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), 'auth-embedded-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    base.DATA_DIR = dataDir;
  }
  if (!base.DATA_DIR && !env.DATA_DIR) {
    // Without SMTP_URL (in `env`) mail goes to the outbox under DATA_DIR: keep it out of the repo.
    const dataDir = await mkdtemp(join(tmpdir(), 'auth-data-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    base.DATA_DIR = dataDir;
  }
  const config = loadConfig({ ...base, ...env });
  const services = await createServices(config, { clock, ...serviceOverrides });
  const server = await listenWithLimits(
    createApp(services, schema),
    services.config.limits.server,
    0,
    '127.0.0.1',
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  return {
    url,
    services,
    clock,
    async gql(document, variables, options = {}) {
      const headers: Record<string, string> = {};
      if (options.token) headers.authorization = `${options.prefix ?? 'JWT'} ${options.token}`;
      const { status, json } = await post(JSON.stringify({ query: print(document), variables }), headers);
      return { status, ...(json as object) };
    },
    post,
    async request(document, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
        body: JSON.stringify({ query: print(document), variables }),
      });
      const text = await response.text();
      let json: object;
      try {
        json = JSON.parse(text) as object;
      } catch {
        json = { text };
      }
      return { status: response.status, ...json, setCookies: response.headers.getSetCookie() };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await services.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

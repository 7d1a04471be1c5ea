/**
 * What both benchmark scripts need: the real services and HTTP app on a throw-away database (and Redis
 * key prefix), and a count of the Redis commands a piece of work sends.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createServices, type Services } from '../src/services.js';
import {
  createTestDatabase,
  deleteRedisKeys,
  openTestRedis,
  TEST_REDIS_URL,
} from '../test/support/test-database.js';

export interface BenchServer {
  services: Services;
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  keyPrefix: string;
  close(): Promise<void>;
}

/** Services and the HTTP app with `store` holding refresh tokens; `close` removes everything made. */
export async function startBenchServer(
  store: 'redis' | 'sql',
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const database = await createTestDatabase('bench');
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const services = await createServices(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomBytes(32).toString('hex'),
      // Throughput is measured from one client: the per-client limits would measure themselves.
      RATE_LIMITS: 'false',
      DATABASE_URL: database.url,
      ...(store === 'redis' ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: keyPrefix } : {}),
      ...env,
    }),
  );
  const server = createApp(services).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    services,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    keyPrefix,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (store === 'redis') {
        await deleteRedisKeys(keyPrefix);
      }
      await services.close();
      await database.drop();
    },
  };
}

/**
 * Commands per unit of work that clients send to Redis (not those a Lua script runs) touching
 * `prefix`: `work` returns how many units it did.
 */
export async function redisCommandsPer(prefix: string, work: () => Promise<number>): Promise<number> {
  const client = await openTestRedis();
  let commands = 0;
  // A MONITOR line: `<time> [<db> <source>] "<command>" "<arg>"...`; commands of scripts say `lua`.
  await client.monitor((line: string) => {
    if (!/^\S+ \[\d+ lua\]/.test(line) && line.includes(`"${prefix}`)) commands++;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const units = await work();
  await new Promise((resolve) => setTimeout(resolve, 200)); // let MONITOR lines arrive
  client.destroy();
  return commands / units;
}

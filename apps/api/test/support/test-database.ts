import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient, type RedisClientType } from 'redis';

/** The PostgreSQL server tests use: DATABASE_URL when set, else the local default. */
export const TEST_SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A plain node-redis client (no bounds, no key prefix) for tests to look at what the API wrote. */
export async function openTestRedis(url = TEST_REDIS_URL): Promise<RedisClientType> {
  const redis: RedisClientType = createClient({ url });
  await redis.connect();
  return redis;
}

/** Removes every key under `prefix`: SCAN in batches, never KEYS, so a shared Redis is not blocked. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = await openTestRedis();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await redis.del(keys);
    }
  } finally {
    redis.destroy();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test server, so every test file is isolated from the others
 * (and from whatever the developer keeps in their own database).
 */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_SERVER_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

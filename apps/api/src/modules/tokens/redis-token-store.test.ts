import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../base/clock.js';
import { createRedisTokenStore } from './redis-token-store.js';
import { createRefreshTokens } from './refresh-tokens.js';
import { describeTokenStoreContract } from './token-store.contract.js';
import { digestToken, type TokenStore } from './token-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A client and a key prefix of its own, so test files never see each other's keys. */
function openIsolatedRedis() {
  const redis: RedisClientType = createClient({ url: REDIS_URL });
  const keyPrefix = `test:tokens:${randomBytes(6).toString('hex')}:`;
  return {
    redis,
    keyPrefix,
    async connect() {
      await redis.connect();
    },
    async keys(): Promise<string[]> {
      const found: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) {
        found.push(...batch);
      }
      return found;
    },
    async teardown() {
      const keys = await this.keys();
      if (keys.length > 0) await redis.del(keys);
      redis.destroy();
    },
  };
}

describeTokenStoreContract('redis', async (clock) => {
  const env = openIsolatedRedis();
  await env.connect();
  let nextUserId = 1;
  return {
    store: createRedisTokenStore({ redis: env.redis, keyPrefix: env.keyPrefix, clock }),
    createUser: async () => nextUserId++,
    teardown: () => env.teardown(),
  };
});

describe('redis token store: storage layout', () => {
  const env = openIsolatedRedis();
  let store: TokenStore;
  // Taken once connected: the store measures TTLs from its own now at save time, and the 1 s slack
  // below must not be spent on a slow connect of a busy machine.
  let t0 = Date.now();
  const HOUR = 3_600_000;

  beforeAll(async () => {
    await env.connect();
    store = createRedisTokenStore({ redis: env.redis, keyPrefix: env.keyPrefix, clock: systemClock });
    t0 = Date.now();
  });
  afterAll(() => env.teardown());

  it('refuses a client that has its own keyPrefix', () => {
    const prefixed: RedisClientType = createClient({ url: REDIS_URL, keyPrefix: 'x:' });
    expect(() => createRedisTokenStore({ redis: prefixed, keyPrefix: 'y:', clock: systemClock })).toThrow(
      /keyPrefix/,
    );
  });

  it('keeps every key under the prefix, each with a TTL bounded by the longest expiry', async () => {
    const raw = `rt_${randomBytes(32).toString('base64url')}`;
    const digest = digestToken(raw);
    const expiresAt = new Date(t0 + 2 * HOUR);
    const savedAt = Date.now();
    await store.save({
      digest,
      userId: 42,
      familyId: 'fam-layout',
      createdAt: new Date(t0),
      expiresAt,
      userAgent: 'ua',
      ip: '127.0.0.1',
    });
    // A longer-lived sibling in the same user index and family stretches the index TTLs only.
    const longer = digestToken(`${raw}-2`);
    await store.save({
      digest: longer,
      userId: 42,
      familyId: 'fam-layout',
      createdAt: new Date(t0),
      expiresAt: new Date(t0 + 5 * HOUR),
      userAgent: null,
      ip: null,
    });
    await store.revoke(digest, new Date(t0));

    const p = env.keyPrefix;
    expect((await env.keys()).sort()).toEqual(
      [
        `${p}rt:${digest}`,
        `${p}rt:${longer}`,
        `${p}user:42`,
        `${p}fam:fam-layout`,
        `${p}expiring`,
        `${p}revoked`,
      ].sort(),
    );

    const ttl = (key: string) => env.redis.pTTL(key);
    // Each TTL is the remaining lifetime when the key was written, counted down by Redis since: at
    // most the lifetime left at `savedAt` (taken before any write), and not much less.
    const near = (actual: number, lifetimeLeftAtSave: number) => {
      expect(actual).toBeGreaterThan(lifetimeLeftAtSave - 60_000);
      expect(actual).toBeLessThanOrEqual(lifetimeLeftAtSave);
    };
    near(await ttl(`${p}rt:${digest}`), expiresAt.getTime() - savedAt);
    near(await ttl(`${p}rt:${longer}`), 5 * HOUR + t0 - savedAt);
    for (const index of ['user:42', 'fam:fam-layout', 'expiring']) {
      near(await ttl(`${p}${index}`), 5 * HOUR + t0 - savedAt);
    }
    // The revocation was told `now` = t0: the revoked index lives what was left at t0.
    near(await ttl(`${p}revoked`), 2 * HOUR);

    // The raw token is never stored, and the digest only appears under our prefix.
    for (const key of await env.keys()) {
      const type = await env.redis.type(key);
      const dump =
        type === 'hash'
          ? JSON.stringify(await env.redis.hGetAll(key))
          : JSON.stringify(await env.redis.zRange(key, 0, -1));
      expect(dump).not.toContain(raw);
    }
    const everywhere: string[] = [];
    for await (const batch of env.redis.scanIterator({ MATCH: `*${digest}*`, COUNT: 1000 })) {
      everywhere.push(...batch);
    }
    expect(everywhere).toEqual([`${p}rt:${digest}`]);
  });

  it('hands Redis durations: a record saved on a clock a year off still lives exactly its remaining lifetime', async () => {
    for (const skew of [-365 * 24 * HOUR, 365 * 24 * HOUR]) {
      const skewed = { now: () => new Date(Date.now() + skew) };
      const skewedStore = createRedisTokenStore({
        redis: env.redis,
        keyPrefix: env.keyPrefix,
        clock: skewed,
      });
      const digest = digestToken(randomBytes(32).toString('hex'));
      const createdAt = skewed.now();
      await skewedStore.save({
        digest,
        userId: 9,
        familyId: `fam-skew-${skew}`,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + 2 * HOUR),
        userAgent: null,
        ip: null,
      });
      for (const key of [`rt:${digest}`, 'user:9', `fam:fam-skew-${skew}`]) {
        const ttl = await env.redis.pTTL(`${env.keyPrefix}${key}`);
        expect(ttl).toBeGreaterThan(2 * HOUR - 60_000);
        expect(ttl).toBeLessThanOrEqual(2 * HOUR);
      }
      expect(await skewedStore.find(digest)).not.toBeNull();
      expect((await skewedStore.listForUser(9, skewed.now())).map((r) => r.digest)).toContain(digest);
    }
  });

  it('drops a record whose expiry has passed on the application clock and trims it from indexes', async () => {
    const digest = digestToken(randomBytes(32).toString('hex'));
    await store.save({
      digest,
      userId: 7,
      familyId: 'fam-past',
      createdAt: new Date(t0 - 2 * HOUR),
      expiresAt: new Date(t0 - HOUR),
      userAgent: null,
      ip: null,
    });
    // Already past: the TTLs are the 1 ms floor, so Redis drops the keys on its next look.
    await expect.poll(() => env.redis.exists(`${env.keyPrefix}rt:${digest}`)).toBe(0);
    await expect.poll(() => env.redis.exists(`${env.keyPrefix}user:7`)).toBe(0);
    expect(await store.find(digest)).toBeNull();
  });

  it('scripts survive SCRIPT FLUSH (as after a Redis restart): the next call sends the script again', async () => {
    const digest = digestToken(randomBytes(32).toString('hex'));
    const successor = digestToken(randomBytes(32).toString('hex'));
    const now = new Date();
    await store.save({
      digest,
      userId: 11,
      familyId: 'fam-flush',
      createdAt: now,
      expiresAt: new Date(now.getTime() + HOUR),
      userAgent: null,
      ip: null,
    });
    await env.redis.scriptFlush();
    const rotated = await store.rotate(digest, successor, now, {
      expiresAt: new Date(now.getTime() + HOUR),
      userAgent: null,
      ip: null,
    });
    expect(rotated.status).toBe('rotated');
    expect((await store.find(successor))?.familyId).toBe('fam-flush');
  });

  it('holds a bounded number of keys and bytes per session however often it rotates', async () => {
    const clock = createManualClock(new Date());
    const rotating = createRedisTokenStore({ redis: env.redis, keyPrefix: `${env.keyPrefix}b:`, clock });
    const refreshTokens = createRefreshTokens({
      store: rotating,
      clock,
      ttlSeconds: 7 * 24 * 3600,
      graceSeconds: 10,
      successorKey: randomBytes(32),
      events: { emit: async () => {} },
    });
    const meta = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) bench', ip: '203.0.113.7' };
    let { token } = await refreshTokens.issue(99, meta);
    const footprint = async () => {
      const keys = (await env.keys()).filter((k) => k.startsWith(`${env.keyPrefix}b:`));
      let bytes = 0;
      let members = 0;
      for (const k of keys) {
        bytes += Number(await env.redis.memoryUsage(k, { SAMPLES: 0 }));
        if ((await env.redis.type(k)) === 'zset') members += await env.redis.zCard(k);
      }
      return { keys: keys.length, members, bytes };
    };
    const rotateTimes = async (n: number) => {
      for (let i = 0; i < n; i++) {
        clock.advance(11_000); // past the grace window
        const outcome = await refreshTokens.rotate(token, meta);
        if (outcome.status !== 'rotated') throw new Error(`rotation failed: ${outcome.status}`);
        token = outcome.token;
      }
    };
    await rotateTimes(5);
    const after5 = await footprint();
    await rotateTimes(45);
    const after50 = await footprint();
    // Two records (current and the one rotated into it), three indexes of two members each.
    expect(after50).toMatchObject({ keys: 5, members: 6 });
    expect(after50.keys).toBe(after5.keys);
    expect(after50.members).toBe(after5.members);
    // Sizes only differ by encoding details of numbers; nothing grows with rotations.
    expect(after50.bytes).toBeLessThanOrEqual(after5.bytes + 64);
  });
});

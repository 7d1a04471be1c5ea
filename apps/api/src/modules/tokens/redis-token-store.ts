import { createHash } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { Clock } from '../base/clock.js';
import {
  compareNewestFirst,
  type NewRefreshToken,
  REFRESH_TOKEN_ID_LENGTH,
  type RefreshTokenRecord,
  type RotateResult,
  type TokenStore,
} from './token-store.js';

export interface RedisTokenStoreOptions {
  /** A client without node-redis' own `keyPrefix`: scripts build keys and would bypass it. */
  redis: RedisClientType;
  /** Namespace of every key, e.g. `auth:`. Wrap it in a hash tag (`{auth}:`) on Redis Cluster. */
  keyPrefix: string;
  /** The application clock: `save` measures the remaining lifetime of a record from it. */
  clock: Clock;
}

/*
 * Layout (dates are epoch milliseconds of the application clock):
 *   <p>rt:<digest>    hash of one record, PEXPIRE its remaining lifetime, so Redis drops dead tokens;
 *                     `names_family` and `tail` (the chain's oldest kept record) let rotation
 *                     prune the chain behind it, so a session keeps a bounded number of records
 *   <p>user:<id>      sorted set of the user's digests scored by expiry (list, revoke-all)
 *   <p>fam:<family>   sorted set of the family's digests scored by expiry (reuse detection)
 *   <p>expiring       sorted set of all digests scored by expiry (deleteExpired with a given now)
 *   <p>revoked        sorted set of revoked digests scored by expiry (deleteExpired includeRevoked)
 * Index sets are trimmed of expired members whenever they are written, and each index key expires
 * with its longest-lived member, so nothing grows without bound.
 * Multi-step operations are Lua scripts: atomic, one round trip each.
 *
 * Every time comes from the application clock (`now` in ARGV) and every TTL is a duration: the
 * remaining lifetime `expiresAt - now`, never below 1 ms. Redis' own clock is never compared with
 * an application date, so an API server whose clock is skewed against Redis' neither keeps tokens
 * too long nor loses them early; `expired_token` is still decided from the record's `expires_at`.
 */

// Shared Lua helpers, prepended to every script.
const LUA_HELPERS = `
-- The remaining lifetime of something that expires at \`expires\` (both application-clock ms).
local function ttl_ms(expires, now)
  local left = tonumber(expires) - tonumber(now)
  if left < 1 then return 1 end
  return left
end
local function index_add(key, member, score, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
  redis.call('ZADD', key, score, member)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', key, ttl_ms(top[2], now))
end
-- HSETNX keeps the first revocation time; the EXISTS check stops it from creating a bare hash.
local function revoke_digest(prefix, digest, now, revoked_index)
  local key = prefix .. 'rt:' .. digest
  if redis.call('EXISTS', key) == 0 then return 0 end
  if redis.call('HSETNX', key, 'revoked_at', now) == 0 then return 0 end
  index_add(revoked_index, digest, redis.call('HGET', key, 'expires_at'), now)
  return 1
end
`;

const SCRIPTS = {
  // KEYS: record, user index, family index, expiring index. ARGV: digest, expires ms, now,
  // field/value...
  tokenStoreSave: {
    numberOfKeys: 4,
    lua: `
local now = ARGV[3]
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ttl_ms(ARGV[2], now))
index_add(KEYS[2], ARGV[1], ARGV[2], now)
index_add(KEYS[3], ARGV[1], ARGV[2], now)
index_add(KEYS[4], ARGV[1], ARGV[2], now)`,
  },
  // KEYS: record, expiring index. ARGV: successor digest, now, prefix, successor expiry ms ('' for
  // none), named family ('' for none), prune rotated before ms ('' for none), digest, successor
  // field/value... Precedence: revoked, expired, other_family, already_rotated. The winner saves its
  // successor in the same script, so no caller can see a successor digest that is not stored.
  tokenStoreRotate: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not_found'} end
local f = redis.call('HMGET', KEYS[1], 'revoked_at', 'expires_at', 'rotated_at', 'user_id', 'family_id',
  'family_created_at', 'created_at', 'tail')
local now, prefix, family = ARGV[2], ARGV[3], ARGV[5]
local status
if f[1] then status = 'revoked'
elseif tonumber(f[2]) <= tonumber(now) then status = 'expired'
elseif family ~= '' and family ~= f[5] then return {'other_family', f[5]}
elseif f[3] then status = 'already_rotated'
else
  redis.call('HSET', KEYS[1], 'rotated_at', now, 'successor_digest', ARGV[1], 'last_used_at', now)
  if ARGV[4] ~= '' then
    local successor, expires = ARGV[1], ARGV[4]
    local key = prefix .. 'rt:' .. successor
    redis.call('HSET', key, 'user_id', f[4], 'family_id', f[5], 'family_created_at', f[6] or f[7],
      'created_at', now, 'expires_at', expires)
    if family ~= '' then redis.call('HSET', key, 'names_family', '1') end
    if #ARGV > 7 then redis.call('HSET', key, unpack(ARGV, 8)) end
    redis.call('PEXPIRE', key, ttl_ms(expires, now))
    index_add(prefix .. 'user:' .. f[4], successor, expires, now)
    index_add(prefix .. 'fam:' .. f[5], successor, expires, now)
    index_add(KEYS[2], successor, expires, now)
  end
  if ARGV[6] ~= '' then
    -- From the chain's oldest kept record (its tail) forwards along successor_digest: delete those
    -- that name their family and were rotated before the bound, step over those that do not (kept
    -- until they expire), stop at the first inside the bound or at the rotated token itself (its
    -- successor may be unused: a lost answer). Each record is passed once: O(1) per rotation.
    local t = f[8] or ARGV[7]
    while t ~= ARGV[7] do
      local key = prefix .. 'rt:' .. t
      local g = redis.call('HMGET', key, 'rotated_at', 'names_family', 'successor_digest')
      if not g[1] or not g[3] then t = ARGV[7] break end
      if g[2] == '1' then
        if tonumber(g[1]) > tonumber(ARGV[6]) then break end
        redis.call('DEL', key)
        redis.call('ZREM', prefix .. 'user:' .. f[4], t)
        redis.call('ZREM', prefix .. 'fam:' .. f[5], t)
        redis.call('ZREM', KEYS[2], t)
        redis.call('ZREM', prefix .. 'revoked', t)
      end
      t = g[3]
    end
    if ARGV[4] ~= '' and family ~= '' then redis.call('HSET', prefix .. 'rt:' .. ARGV[1], 'tail', t) end
  end
  status = 'rotated'
end
if status == 'already_rotated' then
  -- The successor's state in the same round trip: unused, it is handed out again (lost answer).
  local next = redis.call('HGET', KEYS[1], 'successor_digest')
  local successor = {}
  if next then successor = redis.call('HGETALL', prefix .. 'rt:' .. next) end
  return {status, redis.call('HGETALL', KEYS[1]), successor}
end
return {status, redis.call('HGETALL', KEYS[1])}`,
  },
  // KEYS: record. ARGV: now. A plain HSET would resurrect an expired key as a hash without TTL.
  tokenStoreTouch: {
    numberOfKeys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'last_used_at', ARGV[1]) end
return 0`,
  },
  // KEYS: revoked index. ARGV: prefix, digest, now.
  tokenStoreRevoke: {
    numberOfKeys: 1,
    lua: `
local key = ARGV[1] .. 'rt:' .. ARGV[2]
if redis.call('EXISTS', key) == 0 then return false end
revoke_digest(ARGV[1], ARGV[2], ARGV[3], KEYS[1])
return redis.call('HGETALL', key)`,
  },
  // KEYS: user or family index, revoked index. ARGV: prefix, now.
  tokenStoreRevokeIndex: {
    numberOfKeys: 2,
    lua: `
local n = 0
for _, digest in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  n = n + revoke_digest(ARGV[1], digest, ARGV[2], KEYS[2])
end
return n`,
  },
  // KEYS: revoked index. ARGV: prefix, now, digest...
  tokenStoreRevokeMany: {
    numberOfKeys: 1,
    lua: `
local n = 0
for i = 3, #ARGV do n = n + revoke_digest(ARGV[1], ARGV[i], ARGV[2], KEYS[1]) end
return n`,
  },
  // KEYS: user index. ARGV: prefix, now. Returns digest, flat hash, digest, flat hash...
  tokenStoreList: {
    numberOfKeys: 1,
    lua: `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local out = {}
for _, digest in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '+inf')) do
  local h = redis.call('HGETALL', ARGV[1] .. 'rt:' .. digest)
  if #h > 0 then
    out[#out + 1] = digest
    out[#out + 1] = h
  end
end
return out`,
  },
  // KEYS: family index. ARGV: prefix, now, used-with id ('' for none). Newest first: the live head
  // is normally the first member. HSETNX marks the head used once; later calls only read. Returns
  // the head's user id, or 0 when the family has no live head.
  tokenStoreFamilyLive: {
    numberOfKeys: 1,
    lua: `
for _, digest in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', '(' .. ARGV[2])) do
  local key = ARGV[1] .. 'rt:' .. digest
  local f = redis.call('HMGET', key, 'revoked_at', 'rotated_at', 'expires_at', 'user_id')
  if f[3] and not f[1] and not f[2] and tonumber(f[3]) > tonumber(ARGV[2]) then
    if ARGV[3] ~= '' and string.sub(digest, 1, #ARGV[3]) == ARGV[3] then
      redis.call('HSETNX', key, 'last_used_at', ARGV[2])
    end
    return tonumber(f[4])
  end
end
return 0`,
  },
  // KEYS: expiring index, revoked index. ARGV: prefix, now, batch size, include revoked (1/0).
  // Works in batches so one call never blocks Redis for long; returns {deleted, examined}.
  tokenStoreDeleteExpired: {
    numberOfKeys: 2,
    lua: `
local prefix = ARGV[1]
local deleted, examined = 0, 0
local function purge(digest)
  local key = prefix .. 'rt:' .. digest
  local f = redis.call('HMGET', key, 'user_id', 'family_id')
  deleted = deleted + redis.call('DEL', key)
  if f[1] then redis.call('ZREM', prefix .. 'user:' .. f[1], digest) end
  if f[2] then redis.call('ZREM', prefix .. 'fam:' .. f[2], digest) end
  redis.call('ZREM', KEYS[1], digest)
  redis.call('ZREM', KEYS[2], digest)
  examined = examined + 1
end
for _, d in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])) do
  purge(d)
end
if ARGV[4] == '1' then
  for _, d in ipairs(redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[3]) - 1)) do purge(d) end
end
return {deleted, examined}`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Scripts = Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

const DELETE_BATCH = 500;
/** A `refreshTokenId`: anything else (a forged, shorter prefix) marks nothing. */
const VALID_ID = new RegExp(`^[0-9a-f]{${REFRESH_TOKEN_ID_LENGTH}}$`);

// Record fields as stored in the hash (the digest lives in the key).
const FIELDS = {
  userId: 'user_id',
  familyId: 'family_id',
  familyCreatedAt: 'family_created_at',
  createdAt: 'created_at',
  lastUsedAt: 'last_used_at',
  expiresAt: 'expires_at',
  revokedAt: 'revoked_at',
  rotatedAt: 'rotated_at',
  successorDigest: 'successor_digest',
  userAgent: 'user_agent',
  ip: 'ip',
} as const;

function parseRecord(digest: string, flat: unknown): RefreshTokenRecord | null {
  if (!Array.isArray(flat) || flat.length === 0) return null;
  const h = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) h.set(String(flat[i]), String(flat[i + 1]));
  const text = (field: string) => h.get(field) ?? null;
  const date = (field: string) => {
    const v = h.get(field);
    return v === undefined ? null : new Date(Number(v));
  };
  const createdAt = date(FIELDS.createdAt) ?? new Date(0);
  return {
    digest,
    userId: Number(h.get(FIELDS.userId)),
    familyId: text(FIELDS.familyId) ?? '',
    familyCreatedAt: date(FIELDS.familyCreatedAt) ?? createdAt,
    createdAt,
    lastUsedAt: date(FIELDS.lastUsedAt),
    expiresAt: date(FIELDS.expiresAt) ?? new Date(0),
    revokedAt: date(FIELDS.revokedAt),
    rotatedAt: date(FIELDS.rotatedAt),
    successorDigest: text(FIELDS.successorDigest),
    userAgent: text(FIELDS.userAgent),
    ip: text(FIELDS.ip),
  };
}

function mustParse(digest: string, flat: unknown): RefreshTokenRecord {
  const record = parseRecord(digest, flat);
  if (!record) throw new Error(`token store script returned no record for ${digest}`);
  return record;
}

export function createRedisTokenStore({ redis, keyPrefix, clock }: RedisTokenStoreOptions): TokenStore {
  if (redis.options?.keyPrefix) {
    throw new Error('createRedisTokenStore: use keyPrefix of the store, not of the node-redis client');
  }
  const scripts = defineScripts(redis);

  const key = {
    record: (digest: string) => `${keyPrefix}rt:${digest}`,
    user: (userId: number) => `${keyPrefix}user:${userId}`,
    family: (familyId: string) => `${keyPrefix}fam:${familyId}`,
    expiring: `${keyPrefix}expiring`,
    revoked: `${keyPrefix}revoked`,
  };
  const ms = (d: Date) => d.getTime();

  return {
    async save(token: NewRefreshToken) {
      const fields: (string | number)[] = [
        FIELDS.userId,
        token.userId,
        FIELDS.familyId,
        token.familyId,
        FIELDS.familyCreatedAt,
        ms(token.familyCreatedAt ?? token.createdAt),
        FIELDS.createdAt,
        ms(token.createdAt),
        FIELDS.expiresAt,
        ms(token.expiresAt),
      ];
      // Absent fields mean null; an empty string stays an empty string.
      if (token.userAgent !== null) fields.push(FIELDS.userAgent, token.userAgent);
      if (token.ip !== null) fields.push(FIELDS.ip, token.ip);
      if (token.namesFamily) fields.push('names_family', '1');
      await scripts.tokenStoreSave(
        key.record(token.digest),
        key.user(token.userId),
        key.family(token.familyId),
        key.expiring,
        token.digest,
        ms(token.expiresAt),
        ms(clock.now()),
        ...fields,
      );
    },

    async find(digest) {
      return parseRecord(digest, flatten(await redis.hGetAll(key.record(digest))));
    },

    async rotate(digest, successorDigest, now, successor): Promise<RotateResult> {
      const successorArgs: (string | number)[] = successor ? [ms(successor.expiresAt)] : [''];
      if (successor?.userAgent != null) successorArgs.push(FIELDS.userAgent, successor.userAgent);
      if (successor?.ip != null) successorArgs.push(FIELDS.ip, successor.ip);
      const [status, flat, successorFlat] = (await scripts.tokenStoreRotate(
        key.record(digest),
        key.expiring,
        successorDigest,
        ms(now),
        keyPrefix,
        successorArgs[0]!,
        successor?.familyId ?? '',
        successor?.pruneRotatedBefore ? ms(successor.pruneRotatedBefore) : '',
        digest,
        ...successorArgs.slice(1),
      )) as [RotateResult['status'], unknown, unknown];
      if (status === 'not_found') return { status };
      if (status === 'other_family') return { status, familyId: String(flat) };
      const record = mustParse(digest, flat);
      if (status === 'already_rotated') {
        const successor = record.successorDigest ? parseRecord(record.successorDigest, successorFlat) : null;
        return { status, record, successor };
      }
      return { status, record };
    },

    async touch(digest, now) {
      await scripts.tokenStoreTouch(key.record(digest), ms(now));
    },

    async revoke(digest, now) {
      const flat = await scripts.tokenStoreRevoke(key.revoked, keyPrefix, digest, ms(now));
      return parseRecord(digest, flat);
    },

    async revokeFamily(familyId, now) {
      return Number(
        await scripts.tokenStoreRevokeIndex(key.family(familyId), key.revoked, keyPrefix, ms(now)),
      );
    },

    async revokeAllForUser(userId, now) {
      return Number(await scripts.tokenStoreRevokeIndex(key.user(userId), key.revoked, keyPrefix, ms(now)));
    },

    async revokeMany(digests, now) {
      const unique = [...new Set(digests)];
      if (unique.length === 0) return 0;
      return Number(await scripts.tokenStoreRevokeMany(key.revoked, keyPrefix, ms(now), ...unique));
    },

    async listForUser(userId, now) {
      const out = (await scripts.tokenStoreList(key.user(userId), keyPrefix, ms(now))) as unknown[];
      const records: RefreshTokenRecord[] = [];
      for (let i = 0; i + 1 < out.length; i += 2) {
        records.push(mustParse(String(out[i]), out[i + 1]));
      }
      return records.sort(compareNewestFirst);
    },

    async isFamilyLive(familyId, now, usedWith) {
      const id = usedWith && VALID_ID.test(usedWith) ? usedWith : '';
      return Number(await scripts.tokenStoreFamilyLive(key.family(familyId), keyPrefix, ms(now), id)) !== 0;
    },

    async familyOwner(familyId, now) {
      const owner = Number(await scripts.tokenStoreFamilyLive(key.family(familyId), keyPrefix, ms(now), ''));
      return owner === 0 ? null : owner;
    },

    async deleteExpired(now, opts = {}) {
      let total = 0;
      for (;;) {
        const [deleted, examined] = (await scripts.tokenStoreDeleteExpired(
          key.expiring,
          key.revoked,
          keyPrefix,
          ms(now),
          DELETE_BATCH,
          opts.includeRevoked ? 1 : 0,
        )) as [number, number];
        total += deleted;
        if (examined === 0) return total;
      }
    },

    async ping() {
      await redis.ping();
    },
  };
}

/**
 * Each script by SHA (EVALSHA), sent whole (EVAL, which caches it again) only when Redis answers
 * NOSCRIPT: after a SCRIPT FLUSH, a restart or a failover to a replica that never saw it.
 */
function defineScripts(redis: RedisClientType): Scripts {
  const entries = Object.entries(SCRIPTS).map(([name, { numberOfKeys, lua }]) => {
    const script = LUA_HELPERS + lua;
    const sha = createHash('sha1').update(script).digest('hex');
    const run = async (...args: (string | number)[]) => {
      const rest = [String(numberOfKeys), ...args.map(String)];
      try {
        return await redis.sendCommand(['EVALSHA', sha, ...rest]);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await redis.sendCommand(['EVAL', script, ...rest]);
      }
    };
    return [name, run] as const;
  });
  return Object.fromEntries(entries) as Scripts;
}

/** HGETALL answers an object; the parser takes the flat form scripts return. */
function flatten(hash: Record<string, string>): string[] {
  return Object.entries(hash).flat();
}

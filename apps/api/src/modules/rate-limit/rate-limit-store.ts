import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { RedisClientType } from 'redis';

/** A fixed-window counter: at most `points` per `durationSeconds`, counted per key. */
export interface CounterRule {
  points: number;
  durationSeconds: number;
}

export type CounterResult =
  | { allowed: true; consumed: number }
  | { allowed: false; consumed: number; retryAfterSeconds: number };

/** The port the limits are written against; rate-limiter-flexible implements it below. */
export interface Counter {
  /** Counts one more and tells whether the key is still within its rule (one atomic round trip). */
  consume(key: string): Promise<CounterResult>;
  /** Takes one back (a sign-in that succeeded was not a failure). */
  reward(key: string): Promise<void>;
  /** Forgets the key (the account's owner signed in). */
  reset(key: string): Promise<void>;
}

export interface CounterStore {
  counter(name: string, rule: CounterRule): Counter;
}

function toCounter(limiter: RateLimiterAbstract): Counter {
  return {
    async consume(key) {
      try {
        const result = await limiter.consume(key, 1);
        return { allowed: true, consumed: result.consumedPoints };
      } catch (rejection) {
        // A RateLimiterRes is "over the limit"; anything else is the store failing and propagates.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return {
          allowed: false,
          consumed: rejection.consumedPoints,
          retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
        };
      }
    },
    async reward(key) {
      await limiter.reward(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

/**
 * Counters in Redis, shared by every API process: rate-limiter-flexible's Lua script increments and
 * sets the window's TTL (a duration, never an absolute time) in one atomic round trip.
 */
export function createRedisCounterStore(redis: RedisClientType, keyPrefix: string): CounterStore {
  return {
    counter: (name, rule) =>
      toCounter(
        new RateLimiterRedis({
          storeClient: redis,
          useRedisPackage: true,
          keyPrefix: `${keyPrefix}rl:${name}`,
          points: rule.points,
          duration: rule.durationSeconds,
        }),
      ),
  };
}

/** Counters in this process: the embedded mode runs one process, so they are its whole truth. */
export function createMemoryCounterStore(): CounterStore {
  return {
    counter: (name, rule) =>
      toCounter(
        new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationSeconds }),
      ),
  };
}

import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { describeError } from './safe-error.js';

export interface RedisClientSettings {
  url: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/**
 * The one Redis client of the process, with bounded waits: a connect attempt gives up after
 * `connectTimeoutMs`, every command after `commandTimeoutMs` (a blackholed connection would
 * otherwise hold requests for the whole partition), and nothing queues while disconnected (the
 * offline queue is off): a request that needs Redis during an outage fails at once with a
 * retryable error instead of waiting for the reconnect. Reconnects back off up to one second, so
 * service resumes within about a second of Redis coming back.
 *
 * Client errors go through the JSON logger (ioredis prints a raw "[ioredis] Unhandled error
 * event" line when nobody listens), one line per distinct error per `quietMs`, so an outage does
 * not flood the log with a line per reconnect attempt.
 */
export async function connectRedis(settings: RedisClientSettings, logger: Logger): Promise<Redis> {
  const redis = new Redis(settings.url, {
    lazyConnect: true,
    connectTimeout: settings.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    keepAlive: 10_000,
  });
  const quietMs = 10_000;
  const lastLogged = new Map<string, number>();
  redis.on('error', (error: unknown) => {
    const described = describeError(error);
    const key = `${described.code ?? ''}:${described.message}`;
    const now = Date.now();
    if ((lastLogged.get(key) ?? 0) + quietMs > now) return;
    lastLogged.set(key, now);
    logger.warn({ err: described }, 'redis client error');
  });
  let wasReady = false;
  redis.on('ready', () => {
    if (wasReady) logger.info('redis connection restored');
    wasReady = true;
    lastLogged.clear();
  });
  await redis.connect();
  return redis;
}

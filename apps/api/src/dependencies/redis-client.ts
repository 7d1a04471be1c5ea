import { createClient, type RedisClientType } from 'redis';
import type { Logger } from '../logger.js';
import { commandSender } from './redis-command-sender.js';
import { describeError } from './safe-error.js';
import { DependencyUnavailableError } from './unavailable.js';

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
 * Client errors go through the JSON logger (an 'error' event nobody listens to would crash the
 * process), one line per distinct error per `quietMs`, so an outage does not flood the log with a
 * line per reconnect attempt. A first connect that fails rejects (the process does not start
 * against a Redis it cannot reach) instead of retrying forever.
 */
export async function connectRedis(settings: RedisClientSettings, logger: Logger): Promise<RedisClientType> {
  const redis: RedisClientType = createClient({
    url: settings.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: settings.connectTimeoutMs,
      reconnectStrategy: (retries) => Math.min((retries + 1) * 100, 1_000),
      keepAlive: true,
      keepAliveInitialDelay: 10_000,
    },
  });
  boundCommands(redis, settings.commandTimeoutMs);
  const quietMs = 10_000;
  const lastLogged = new Map<string, number>();
  redis.on('error', (error: unknown) => {
    const described = describeError(error);
    const key = `${described.code ?? ''}:${described.message}`;
    const now = Date.now();
    if ((lastLogged.get(key) ?? 0) + quietMs > now) return;
    lastLogged.set(key, now);
    // The logger's `err` serializer makes the safe form (a SafeError passed here logged as '[object Object]').
    logger.warn({ err: error }, 'redis client error');
  });
  let wasReady = false;
  redis.on('ready', () => {
    if (wasReady) logger.info('redis connection restored');
    wasReady = true;
    lastLogged.clear();
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      redis.destroy();
      reject(error);
    };
    redis.once('error', fail);
    redis.connect().then(() => {
      redis.off('error', fail);
      resolve();
    }, fail);
  });
  return redis;
}

/**
 * node-redis' own `timeout` command option stops counting once a command is written to the socket,
 * so it does not bound a blackholed connection: each command gets a timer of its own instead
 * (settled by hand: Promise.race and finally cost measurably more per command).
 */
function boundCommands(redis: RedisClientType, ms: number): void {
  const client = commandSender(redis);
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<typeof send>) =>
    new Promise<Awaited<ReturnType<typeof send>>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new DependencyUnavailableError('redis', 'Command timed out')),
        ms,
      );
      send(...args).then(
        (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    })) as typeof client.sendCommand;
}

// Apart from redis-client.ts: the wiring that names it must not load node-redis when there is no Redis.
import type { RedisClientType } from 'redis';

/**
 * Where every command of `redis` passes: typed commands (`eval`, `del`...), scripts and raw
 * `sendCommand` calls all end in the underlying client's `sendCommand`. createClient hands out
 * `Object.create(client)`, so a wrapper on the handed-out object alone would miss typed commands.
 * MULTI and pipelines bypass it: nothing of ours uses them.
 */
export function commandSender(redis: RedisClientType): Pick<RedisClientType, 'sendCommand'> {
  return (redis as unknown as { _self: RedisClientType })._self;
}

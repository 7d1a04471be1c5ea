/**
 * `tsx bench/rotate-store.bench.ts`: the Redis token store's `rotate` alone, through the process's
 * one client (`connectRedis`), so the figure is the client's cost per rotation and not HTTP's.
 * Chains of rotations run CONCURRENCY at a time; each run reports CPU time of this process per
 * rotation (process.cpuUsage) and wall time; the median of RUNS runs is printed.
 */
import { randomBytes } from 'node:crypto';
import { connectRedis } from '../src/dependencies/redis-client.js';
import { createLogger } from '../src/logger.js';
import { systemClock } from '../src/modules/base/clock.js';
import { createRedisTokenStore } from '../src/modules/tokens/redis-token-store.js';
import { TEST_REDIS_URL } from '../test/support/test-database.js';

const RUNS = Number(process.env.RUNS ?? 7);
const CHAINS = 50;
const STEPS = 60; // rotations per chain per run
const DAY = 86_400_000;

const redis = await connectRedis(
  { url: TEST_REDIS_URL, connectTimeoutMs: 2_000, commandTimeoutMs: 2_000 },
  createLogger('silent'),
);
const keyPrefix = `bench:{rot${randomBytes(3).toString('hex')}}:`;
const store = createRedisTokenStore({ redis, keyPrefix, clock: systemClock });
const digest = () => randomBytes(32).toString('hex');

async function chain(i: number) {
  let current = digest();
  const now = new Date();
  await store.save({
    digest: current,
    userId: i + 1,
    familyId: `fam${i}-${current.slice(0, 8)}`,
    createdAt: now,
    expiresAt: new Date(now.getTime() + DAY),
    userAgent: 'bench',
    ip: '127.0.0.1',
  });
  for (let s = 0; s < STEPS; s++) {
    const next = digest();
    const at = new Date();
    const result = await store.rotate(current, next, at, {
      expiresAt: new Date(at.getTime() + DAY),
      userAgent: 'bench',
      ip: '127.0.0.1',
    });
    if (result.status !== 'rotated') throw new Error(`unexpected ${result.status}`);
    current = next;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpu: number[] = [];
const wall: number[] = [];
await Promise.all(Array.from({ length: CHAINS }, (_, i) => chain(i))); // warm-up
for (let r = 0; r < RUNS; r++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CHAINS }, (_, i) => chain(i)));
  const t = Number(process.hrtime.bigint() - t0) / 1e3;
  const c = process.cpuUsage(c0);
  const n = CHAINS * STEPS;
  cpu.push((c.user + c.system) / n);
  wall.push(t / n);
}
console.log(
  JSON.stringify({
    rotationsPerRun: CHAINS * STEPS,
    cpuUsPerRotation: { median: median(cpu), runs: cpu.map((x) => Math.round(x)) },
    wallUsPerRotation: { median: median(wall), runs: wall.map((x) => Math.round(x)) },
  }),
);
// The keys made expire in a day; `redis-cli --scan --pattern 'bench:{rot*' | xargs redis-cli del` removes them now.
console.error(`keys under ${keyPrefix}`);
process.exit(0);

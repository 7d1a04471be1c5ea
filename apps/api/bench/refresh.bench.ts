/**
 * `pnpm bench`: refresh-token rotation throughput against the real stores, plus the Redis round
 * trips one refresh costs. A script that prints figures, not a timed test: numbers depend on the
 * machine. Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, local defaults otherwise); it
 * creates a throw-away database and key prefix and removes both.
 *
 * Measured per store:
 *   service: services.tokens.refresh() (atomic rotate + successor save, user lookup, JWT signing)
 *   http:    the refreshToken mutation end to end over loopback HTTP
 * Each run keeps CONCURRENCY independent sessions refreshing in a loop, every refresh presenting
 * the successor of the previous one, i.e. the real pattern of many clients.
 */
import { randomBytes } from 'node:crypto';
import { User } from '../src/modules/users/user.entity.js';
import type { Services } from '../src/services.js';
import { redisCommandsPer, startBenchServer } from './bench-kit.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const META = { userAgent: 'bench', ip: '127.0.0.1' };
const MUTATION = 'mutation($r: String) { refreshToken(refreshToken: $r) { success refreshToken } }';

async function createUser(services: Services): Promise<User> {
  const em = services.db.orm.em.fork();
  const user = new User();
  user.username = `bench${randomBytes(4).toString('hex')}`;
  user.email = `${user.username}@example.com`;
  user.dateJoined = new Date();
  await em.persistAndFlush(user);
  return user;
}

/** Runs `step` in CONCURRENCY loops for DURATION_MS; returns completed refreshes per second. */
async function measure(
  services: Services,
  user: User,
  step: (token: string) => Promise<string>,
): Promise<{ perSecond: number; count: number }> {
  const tokens = await Promise.all(
    Array.from({ length: CONCURRENCY }, () =>
      services.refreshTokens.issue(user.id, META).then((t) => t.token),
    ),
  );
  let count = 0;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (initial) => {
      let token = initial;
      while (performance.now() - started < DURATION_MS) {
        token = await step(token);
        count++;
      }
    }),
  );
  return { perSecond: Math.round((count * 1000) / (performance.now() - started)), count };
}

async function benchStore(store: 'redis' | 'sql') {
  const { services, url, keyPrefix, close } = await startBenchServer(store);
  try {
    const user = await createUser(services);
    const viaService = async (token: string) => {
      const result = await services.tokens.refresh(services.db.orm.em.fork(), token, META);
      if (!result.success) throw new Error(`refresh failed: ${JSON.stringify(result.errors)}`);
      return result.refreshToken;
    };
    const viaHttp = async (token: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: MUTATION, variables: { r: token } }),
      });
      const body = (await response.json()) as {
        data: { refreshToken: { success: boolean; refreshToken: string } };
      };
      if (!body.data.refreshToken.success) throw new Error('refresh over HTTP failed');
      return body.data.refreshToken.refreshToken;
    };
    // Warm-ups: JIT, pools, the Lua script cache, HTTP keep-alive sockets.
    await measure(services, user, viaService);
    const service = await measure(services, user, viaService);
    await measure(services, user, viaHttp);
    const http = await measure(services, user, viaHttp);
    let roundTrips: number | null = null;
    if (store === 'redis') {
      roundTrips = await redisCommandsPer(keyPrefix, async () => {
        let token = (await services.refreshTokens.issue(user.id, META)).token;
        const n = 200;
        for (let i = 0; i < n; i++) token = await viaService(token);
        return n;
      });
    }
    return { store, service, http, roundTrips };
  } finally {
    await close();
  }
}

const results = [];
for (const store of ['redis', 'sql'] as const) results.push(await benchStore(store));
console.log(
  `refresh benchmark: ${CONCURRENCY} concurrent sessions, ${DURATION_MS} ms per run, Node ${process.version}`,
);
console.table(
  results.map((r) => ({
    store: r.store === 'redis' ? 'Redis' : 'SQL (PostgreSQL)',
    'service refreshes/s': r.service.perSecond,
    'HTTP refreshes/s': r.http.perSecond,
    'Redis round trips/refresh': r.roundTrips === null ? '-' : r.roundTrips.toFixed(2),
  })),
);

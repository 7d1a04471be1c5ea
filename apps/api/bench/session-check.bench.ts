/**
 * `pnpm bench` (second part): what ACCESS_TOKEN_SESSION_CHECK costs. Authenticated `{ me { id } }`
 * requests over loopback HTTP, with the check on and off, against each token store, and the Redis
 * commands one such request sends. A script that prints figures, not a timed test.
 */
import { randomBytes } from 'node:crypto';
import { User } from '../src/modules/users/user.entity.js';
import { redisCommandsPer, startBenchServer } from './bench-kit.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const QUERY = JSON.stringify({ query: '{ me { id } }' });

async function run(store: 'redis' | 'sql', sessionCheck: boolean) {
  const { services, url, keyPrefix, close } = await startBenchServer(store, {
    ACCESS_TOKEN_SESSION_CHECK: String(sessionCheck),
  });
  try {
    const em = services.db.orm.em.fork();
    const user = Object.assign(new User(), {
      username: `bench${randomBytes(4).toString('hex')}`,
      email: `bench${randomBytes(4).toString('hex')}@example.com`,
      dateJoined: new Date(),
    });
    await em.persistAndFlush(user);
    const refresh = await services.refreshTokens.issue(user.id, { userAgent: 'bench', ip: '127.0.0.1' });
    const { token } = await services.accessTokens.sign(user, { sid: refresh.familyId });
    const me = async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
        body: QUERY,
      });
      const body = (await response.json()) as { data?: { me: { id: string } | null } };
      if (!body.data?.me) throw new Error('the access token was not accepted');
    };
    const measure = async () => {
      let count = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() - started < DURATION_MS) {
            await me();
            count++;
          }
        }),
      );
      return Math.round((count * 1000) / (performance.now() - started));
    };
    await measure(); // warm-up: JIT, pools, keep-alive sockets
    const perSecond = await measure();
    let redisCommands: number | null = null;
    if (store === 'redis') {
      redisCommands = await redisCommandsPer(keyPrefix, async () => {
        for (let i = 0; i < 100; i++) await me();
        return 100;
      });
    }
    return { perSecond, redisCommands };
  } finally {
    await close();
  }
}

const rows = [];
for (const store of ['redis', 'sql'] as const) {
  const on = await run(store, true);
  const off = await run(store, false);
  rows.push({
    store: store === 'redis' ? 'Redis' : 'SQL (PostgreSQL)',
    'me/s, session check on': on.perSecond,
    'me/s, check off': off.perSecond,
    'Redis commands/request (on)': on.redisCommands === null ? '-' : on.redisCommands.toFixed(2),
  });
}
console.log(
  `session check benchmark: ${CONCURRENCY} concurrent clients, ${DURATION_MS} ms per run, Node ${process.version}`,
);
console.table(rows);

/**
 * `pnpm bench`: the whole server, as it runs in production (`node dist/main.js`, NODE_ENV=production,
 * WEB_CONCURRENCY workers, default bcrypt cost), on PostgreSQL + Redis, driven over loopback HTTP by
 * autocannon in this process. Prints one table: `{ __typename }` (our ceiling), `me`, `me` during a
 * login storm, `tokenAuth` against the hash-bound ceiling, refresh rotation, and the embedded cold
 * and warm start with idle RSS.
 *
 * CPU per request is the server's own CPU time (all its processes, from /proc/<pid>/stat) divided by
 * the requests answered: steadier than requests per second on a shared machine, where this process
 * (the load generator) competes with the server for the same cores.
 *
 * Environment: BENCH_SECONDS (per scenario, default 5), BENCH_CONNECTIONS (16), WEB_CONCURRENCY
 * (default: the server's own default, one worker per core), BENCH_SERVER_DIR (the built server to
 * run, default apps/api/dist; point it at an older build for a before/after), BENCH_SKIP_EMBEDDED=1.
 * Everything it creates (a database, a Redis key prefix, data directories) is removed at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hash, verifySync } from '@node-rs/bcrypt';
import autocannon from 'autocannon';
import type { RedisClientType } from 'redis';
import {
  createTestDatabase,
  deleteRedisKeys,
  openTestRedis,
  TEST_REDIS_URL,
} from '../test/support/test-database.js';
import { cpuSeconds, processTree } from './proc-stats.js';

const API_DIR = fileURLToPath(new URL('../', import.meta.url));
const SERVER_DIR = resolve(API_DIR, process.env.BENCH_SERVER_DIR ?? 'dist');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const LOGIN_CONNECTIONS = 8;
/** Logins take a quarter second each: give them long enough to count. */
const LOGIN_SECONDS = Math.max(SECONDS, 10);
const BCRYPT_COST = 12;
const PASSWORD = 'bench-Horse-42-battery';

const TYPENAME = '{ __typename }';
const ME = '{ me { username email } }';
const TOKEN_AUTH =
  'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { success errors token refreshToken } }';
const REFRESH = 'mutation($r: String) { refreshToken(refreshToken: $r) { success errors refreshToken } }';
const REGISTER =
  'mutation($e: String!, $u: String!, $p: String!) { register(email: $e, username: $u, password1: $p, password2: $p) { success errors token refreshToken } }';

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/** Resident memory of the tree of `pid`, or only of its members whose command line has `only`. */
function rssMiB(pid: number, only?: string): number {
  let kib = 0;
  for (const member of processTree(pid)) {
    if (only) {
      try {
        if (!readFileSync(`/proc/${member}/cmdline`, 'utf8').includes(only)) continue;
      } catch {
        continue;
      }
    }
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return Math.round(kib / 1024);
}

interface Started {
  child: ChildProcess;
  url: string;
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts `command` and waits for /readyz to answer 200; the time is from spawn to that answer. */
async function startServer(command: string[], env: Record<string, string>, cwd = API_DIR): Promise<Started> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) throw new Error('server not ready within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    url,
    readyMs: performance.now() - started,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

async function gql(url: string, query: string, variables: object, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, Record<string, unknown>>; errors?: unknown[] };
}

interface Load {
  /** 2xx answers. */
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

function cannon(options: autocannon.Options): Promise<Load> {
  return new Promise((done, reject) => {
    autocannon({ duration: SECONDS, ...options }, (error, result) => {
      if (error) return reject(error);
      // Answers only: a non-2xx one (a refusal) costs far less than the work it stands for.
      const answered = result.requests.total - result.non2xx;
      done({
        requests: answered,
        perSecond: answered / (result.duration || SECONDS),
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
      });
    });
  });
}

const post = (url: string, query: string, variables: object, token?: string): autocannon.Options => ({
  url: `${url}/graphql`,
  method: 'POST',
  connections: CONNECTIONS,
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
  body: JSON.stringify({ query, variables }),
});

interface Logins {
  ok: number;
  busy: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * `connections` clients signing in over and over for `seconds`, each waiting out Retry-After when
 * answered 503 (as a real client does; autocannon would re-send at once and measure only its own
 * hammering). Latency percentiles are of the successful logins.
 */
async function loginLoad(
  url: string,
  variables: object,
  connections: number,
  seconds: number,
): Promise<Logins> {
  const body = JSON.stringify({ query: TOKEN_AUTH, variables });
  const latencies: number[] = [];
  let busy = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await response.arrayBuffer();
        if (response.status === 503) {
          busy++;
          const wait = Number(response.headers.get('retry-after') ?? 1) * 1000;
          await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - performance.now()))));
        } else if (response.status === 200) {
          latencies.push(performance.now() - sent);
        } else {
          throw new Error(`tokenAuth answered ${response.status}`);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    ok: latencies.length,
    busy,
    perSecond: latencies.length / ((performance.now() - started) / 1000),
    p50: at(0.5),
    p99: at(0.99),
  };
}

/** Lets requests still in flight when a load generator stopped finish before the next scenario. */
const settle = () => new Promise((r) => setTimeout(r, 3000));

/** Runs `work` and returns its result with the server's CPU seconds spent meanwhile. */
async function withCpu<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpu: number }> {
  const before = cpuSeconds(pid);
  const result = await work();
  return { result, cpu: cpuSeconds(pid) - before };
}

/**
 * Refresh rotation: every request presents the successor of an earlier answer. A shared pool of
 * live refresh tokens (twice the connections) feeds the requests; each answer returns its successor.
 */
async function refreshLoad(
  url: string,
  pool: string[],
  duration = SECONDS,
  latest?: Map<string, number>,
): Promise<Load> {
  return cannon({
    duration,
    url: `${url}/graphql`,
    method: 'POST',
    connections: CONNECTIONS,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request, context) => {
          const presented = pool.shift();
          (context as { presented?: string }).presented = presented;
          return { ...request, body: JSON.stringify({ query: REFRESH, variables: { r: presented } }) };
        },
        onResponse: (_status, body, context) => {
          const token = (JSON.parse(body) as { data?: { refreshToken?: { refreshToken?: string } } }).data
            ?.refreshToken?.refreshToken;
          if (!token) return;
          pool.push(token);
          // Each session's newest token, for what comes after the load.
          const presented = (context as { presented?: string }).presented;
          const session = presented === undefined ? undefined : latest?.get(presented);
          if (latest && session !== undefined) {
            latest.delete(presented!);
            latest.set(token, session);
          }
        },
      },
    ],
  });
}

async function commandsProcessed(redis: RedisClientType): Promise<number> {
  const stats = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0);
}

/** One bcrypt verify alone on a core (the same native code the server runs on its pool), median of 5. */
function medianVerify(passwordHash: string): { wallMs: number; cpuMs: number } {
  const times: Array<{ wallMs: number; cpuMs: number }> = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    verifySync(PASSWORD, passwordHash);
    const used = process.cpuUsage(cpu);
    times.push({ wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[2]!;
  return { wallMs: median(times.map((t) => t.wallMs)), cpuMs: median(times.map((t) => t.cpuMs)) };
}

/**
 * The hash-bound ceiling as it is now on this machine: verifies per second with every core
 * verifying at once (one thread per core, the same native code), for `seconds`. Measured beside
 * the login run, not from one verify alone: on a shared machine cores running together, and the
 * load of the moment, is what the logins had too.
 */
async function parallelVerifiesPerSecond(passwordHash: string, seconds: number): Promise<number> {
  const code = `
    const { verifySync } = require('@node-rs/bcrypt');
    const { parentPort, workerData } = require('node:worker_threads');
    const deadline = performance.now() + workerData.ms;
    let done = 0;
    while (performance.now() < deadline) { verifySync(workerData.password, workerData.hash); done++; }
    parentPort.postMessage(done);`;
  const started = performance.now();
  const counts = await Promise.all(
    Array.from(
      { length: availableParallelism() },
      () =>
        new Promise<number>((done, reject) => {
          const worker = new Worker(code, {
            eval: true,
            workerData: { password: PASSWORD, hash: passwordHash, ms: seconds * 1000 },
          });
          worker.once('message', done);
          worker.once('error', reject);
        }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / ((performance.now() - started) / 1000);
}

async function benchServer(rows: string[][]): Promise<void> {
  const database = await createTestDatabase('bench');
  const keyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const dataDir = await mkdtemp(join(tmpdir(), 'auth-bench-'));
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: keyPrefix,
    DATA_DIR: dataDir,
    BCRYPT_COST: String(BCRYPT_COST),
    // One client address drives everything: the per-client limits would measure themselves. The
    // limiter's own cost (a Redis round trip per request when on) is not in these figures.
    RATE_LIMITS: 'false',
    // autocannon keeps each socket for the whole run and does not reconnect when the server closes
    // one after HTTP_MAX_REQUESTS_PER_SOCKET: past it, every request on that socket was a cheap 503,
    // which made `{ __typename }` look cheaper than it is (a real client opens a new connection).
    HTTP_MAX_REQUESTS_PER_SOCKET: '0',
    ...(process.env.WEB_CONCURRENCY ? { WEB_CONCURRENCY: process.env.WEB_CONCURRENCY } : {}),
  };
  const server = await startServer([process.execPath, join(SERVER_DIR, 'main.js')], env);
  const pid = server.child.pid!;
  try {
    const username = `bench${randomBytes(4).toString('hex')}`;
    const registered = await gql(server.url, REGISTER, {
      e: `${username}@example.com`,
      u: username,
      p: PASSWORD,
    });
    const token = registered.data?.register?.token as string | undefined;
    if (!token) throw new Error(`register failed: ${JSON.stringify(registered)}`);
    const me = await gql(server.url, ME, {}, token);
    if ((me.data?.me as { username?: string } | undefined)?.username !== username) {
      throw new Error(`me failed: ${JSON.stringify(me)}`);
    }
    const workers = processTree(pid).length > 1 ? processTree(pid).length - 1 : 1;

    // Warm-up: JIT, pools, keep-alive sockets.
    await cannon({ ...post(server.url, TYPENAME, {}), duration: 1 });
    await cannon({ ...post(server.url, ME, {}, token), duration: 1 });

    const typename = await withCpu(pid, () => cannon(post(server.url, TYPENAME, {})));
    const meIdle = await withCpu(pid, () => cannon(post(server.url, ME, {}, token)));
    const credentials = { u: username, p: PASSWORD };
    // The storm: `me` for SECONDS in the middle of a longer login run.
    const storm = await Promise.all([
      new Promise((r) => setTimeout(r, 1000)).then(() => cannon(post(server.url, ME, {}, token))),
      loginLoad(server.url, credentials, LOGIN_CONNECTIONS, SECONDS + 2),
    ]);
    await settle();
    // Hash-bound ceiling: every core verifying at this cost, measured just before and just after
    // the login run (the mean of both), with the server idle meanwhile.
    const passwordHash = await hash(PASSWORD, { cost: BCRYPT_COST });
    const oneVerify = medianVerify(passwordHash);
    const ceilingBefore = await parallelVerifiesPerSecond(passwordHash, LOGIN_SECONDS / 2);
    const logins = await withCpu(pid, () =>
      loginLoad(server.url, credentials, LOGIN_CONNECTIONS, LOGIN_SECONDS),
    );
    await settle();
    const ceilingAfter = await parallelVerifiesPerSecond(passwordHash, LOGIN_SECONDS / 2);
    const ceiling = (ceilingBefore + ceilingAfter) / 2;
    const loginCpuMs = (logins.cpu * 1000) / Math.max(1, logins.result.ok);

    const pool: string[] = [];
    for (let i = 0; i < CONNECTIONS * 2; i++) {
      const signedIn = await gql(server.url, TOKEN_AUTH, { u: username, p: PASSWORD });
      const refreshToken = (signedIn.data?.tokenAuth as { refreshToken?: string } | undefined)?.refreshToken;
      if (!refreshToken) throw new Error(`tokenAuth failed: ${JSON.stringify(signedIn)}`);
      pool.push(refreshToken);
    }
    const latest = new Map(pool.map((token, session) => [token, session]));
    // Warm-up of the refresh path (its answers keep the pool filled with successors).
    await refreshLoad(server.url, pool, 1, latest);
    const redis = await openTestRedis();
    // Commands Redis processed per rotation (an upper bound: the Redis is shared with whatever else runs).
    const commandsBefore = await commandsProcessed(redis);
    const refresh = await withCpu(pid, () => refreshLoad(server.url, pool, SECONDS, latest));
    const commands = (await commandsProcessed(redis)) - commandsBefore;
    // What a session keeps in Redis once the grace window (10 s by default) is past: each session
    // rotates once more, as a client does some minutes later, then the prefix is measured. (Twice:
    // a token whose answer the load's end cut off is first answered its successor again.)
    await new Promise((r) => setTimeout(r, 11_000));
    for (let held of latest.keys()) {
      for (let i = 0; i < 2; i++) {
        const answer = await gql(server.url, REFRESH, { r: held });
        const next = (answer.data?.refreshToken as { refreshToken?: string } | undefined)?.refreshToken;
        if (!next) throw new Error(`refresh after the load failed: ${JSON.stringify(answer)}`);
        held = next;
      }
    }
    const keys = await redis.keys(`${keyPrefix}*`);
    let redisBytes = 0;
    for (const key of keys) redisBytes += Number((await redis.memoryUsage(key)) ?? 0);
    redis.destroy();

    const cpuMs = (entry: { result: Load; cpu: number }) =>
      (entry.cpu * 1000) / Math.max(1, entry.result.requests);
    const ceilingCpu = cpuMs(typename);
    const fmt = (n: number, digits = 0) => n.toFixed(digits);
    rows.push([
      'server',
      `${SERVER_DIR.replace(API_DIR, '')} (workers: ${workers}, cores: ${availableParallelism()})`,
    ]);
    rows.push([
      '{ __typename }',
      `${fmt(typename.result.perSecond)} rps, p99 ${typename.result.p99} ms, CPU ${fmt(ceilingCpu, 3)} ms/req`,
    ]);
    rows.push([
      'me',
      `${fmt(meIdle.result.perSecond)} rps, p99 ${meIdle.result.p99} ms, CPU ${fmt(cpuMs(meIdle), 3)} ms/req; ` +
        `ceiling ratio ${fmt(ceilingCpu / cpuMs(meIdle), 2)} (CPU), ${fmt(meIdle.result.perSecond / typename.result.perSecond, 2)} (rps)`,
    ]);
    rows.push([
      `me during login storm (${LOGIN_CONNECTIONS} tokenAuth conns)`,
      `${fmt(storm[0].perSecond)} rps, p99 ${storm[0].p99} ms (${fmt(storm[0].p99 / Math.max(1, meIdle.result.p99), 1)}x idle); ` +
        `logins meanwhile ${fmt(storm[1].perSecond, 1)}/s, ${storm[1].busy} answered busy`,
    ]);
    rows.push([
      `tokenAuth (${LOGIN_CONNECTIONS} conns, cost ${BCRYPT_COST})`,
      `${fmt(logins.result.perSecond, 1)}/s = ${fmt((100 * logins.result.perSecond) / ceiling)}% of ceiling ` +
        `${fmt(ceiling, 1)}/s (${availableParallelism()} cores verifying: ${fmt(ceilingBefore, 1)} before, ${fmt(ceilingAfter, 1)} after; ` +
        `cores / one verify alone: ${fmt(availableParallelism() / (oneVerify.wallMs / 1000), 1)}/s); ` +
        `p50 ${logins.result.p50} ms, p99 ${logins.result.p99} ms; ${logins.result.busy} answered busy (503); ` +
        `CPU ${fmt(loginCpuMs)} ms/login = ${fmt((100 * oneVerify.cpuMs) / loginCpuMs)}% hash (one verify ${fmt(oneVerify.cpuMs)} ms CPU)`,
    ]);
    rows.push([
      'refresh rotation (Redis)',
      `${fmt(refresh.result.perSecond)} /s, p99 ${refresh.result.p99} ms, CPU ${fmt(cpuMs(refresh), 3)} ms/req; ` +
        `Redis ${fmt(commands / Math.max(1, refresh.result.requests), 2)} commands/rotation, ${keys.length} keys, ` +
        `${fmt(redisBytes / 1024)} KiB for ${CONNECTIONS * 2 + 1} sessions after ${refresh.result.requests} rotations ` +
        `(${fmt(redisBytes / Math.max(1, keys.filter((k) => k.startsWith(`${keyPrefix}fam:`)).length))} B per ` +
        `session in Redis, the sign-ins of the login runs included; past the grace window)`,
    ]);
  } finally {
    await server.stop();
    await deleteRedisKeys(keyPrefix);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `npm start` on a fresh data directory (cold: no database yet), then again on it (warm). */
async function benchEmbedded(rows: string[][]): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'auth-bench-embedded-'));
  const repo = resolve(API_DIR, '../..');
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' };
  try {
    const times: Array<{ cold: number; warm: number; rss: number; tree: number }> = [];
    const command =
      process.env.BENCH_EMBEDDED_COMMAND === 'node'
        ? [process.execPath, join(SERVER_DIR, 'main.js')]
        : ['npm', 'start', '--silent'];
    for (let run = 0; run < 3; run++) {
      await rm(dataDir, { recursive: true, force: true });
      const cold = await startServer(command, env, repo);
      await cold.stop();
      const warm = await startServer(command, env, repo);
      await new Promise((r) => setTimeout(r, 1000));
      const rss = rssMiB(warm.child.pid!, 'main.js');
      const tree = rssMiB(warm.child.pid!);
      await warm.stop();
      times.push({ cold: cold.readyMs, warm: warm.readyMs, rss, tree });
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    rows.push([
      `embedded start (${command.slice(0, 2).join(' ').replace(process.execPath, 'node')}, median of 3)`,
      `cold ${(median(times.map((t) => t.cold)) / 1000).toFixed(2)} s, warm ${(median(times.map((t) => t.warm)) / 1000).toFixed(2)} s ` +
        `to /readyz 200; RSS idle: server ${median(times.map((t) => t.rss))} MiB, with npm and its shell ${median(times.map((t) => t.tree))} MiB`,
    ]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (!existsSync(join(SERVER_DIR, 'main.js'))) {
    throw new Error(`no built server in ${SERVER_DIR}: run \`node scripts/bootstrap.mjs build\` first`);
  }
  const rows: string[][] = [];
  await benchServer(rows);
  if (process.env.BENCH_SKIP_EMBEDDED !== '1') await benchEmbedded(rows);
  const width = Math.max(...rows.map(([name]) => name!.length));
  console.log(`\nbench: ${SECONDS} s per scenario, ${CONNECTIONS} connections, loopback, autocannon\n`);
  for (const [name, value] of rows) console.log(`${name!.padEnd(width)}  ${value}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

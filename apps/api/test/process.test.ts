import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { niceOf } from '../src/thread-priority.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './support/test-database.js';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(API_DIR, '..', '..');
const BUILT_SERVER = [process.execPath, 'dist/main.js'];

interface Running {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  stderr: string[];
  exited: Promise<number | null>;
}

/** Runs the built entry point (dist/main.js, plain JavaScript) as a separate process, as `npm start` does. */
function startApi(env: Record<string, string>, command = BUILT_SERVER, cwd = API_DIR): Running {
  const [file = process.execPath, ...args] = command;
  const child = spawn(file, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        stderr.push(line);
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, stderr, exited };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the API process', () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    // The build the quick-start command runs: a no-op when apps/api/dist is fresher than the sources.
    const build = spawnSync(process.execPath, ['scripts/bootstrap.mjs', 'build'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
    database = await createTestDatabase('process');
    dataDir = await mkdtemp(join(tmpdir(), 'auth-process-'));
  });
  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad configuration, listing every problem, with exit code 78', async () => {
    const api = startApi({ PORT: 'x', REDIS_URL: 'nope', BCRYPT_COST: '99', NODE_ENV: 'production' });
    expect(await api.exited).toBe(78);
    const output = api.stderr.join('');
    for (const name of ['PORT', 'REDIS_URL', 'BCRYPT_COST']) expect(output).toContain(name);
  });

  const serverEnv = () => ({
    PORT: '0',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `process-test:${process.pid}:`,
    JWT_SECRET: 'process-test-secret-of-at-least-32-characters',
    DATA_DIR: dataDir,
  });
  const stopped = (api: Running) => api.lines.map((line) => line.msg).includes('stopped') || undefined;

  it('serves, then drains and stops cleanly on SIGTERM', async () => {
    const api = startApi(serverEnv());
    const listening = await waitFor(() => api.lines.find((line) => line.msg === 'API listening'), 60_000);
    expect(listening).toMatchObject({ database: 'PostgreSQL', tokenStore: 'Redis' });
    const url = String(listening.url);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(await response.json()).toEqual({ data: { me: null } });

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['shutting down: finishing in-flight requests', 'stopped']),
    );
  });

  it('the built server runs the first path (register, tokenAuth, me) with no TypeScript loader', async () => {
    const api = startApi({ ...serverEnv(), NODE_OPTIONS: '' });
    const listening = await waitFor(() => api.lines.find((line) => line.msg === 'API listening'), 60_000);
    const call = async (query: string, token?: string) => {
      const response = await fetch(String(listening.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data: Record<string, Record<string, unknown> | null> };
    };
    const password = 'correct-Horse-42';
    const registered = await call(
      `mutation { register(email: "built@example.com", username: "built", password1: "${password}", password2: "${password}") { success errors } }`,
    );
    expect(registered.data.register).toEqual({ success: true, errors: null });
    const signIn = await call(
      `mutation { tokenAuth(username: "built", password: "${password}") { success errors token } }`,
    );
    expect(signIn.data.tokenAuth).toMatchObject({ success: true, errors: null });
    const me = await call('{ me { username email } }', String(signIn.data.tokenAuth?.token));
    expect(me.data.me).toEqual({ username: 'built', email: 'built@example.com' });
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });

  it.runIf(process.platform === 'linux' && getPriority() < 10)(
    "embedded: hash threads are niced, the embedded database's thread keeps the server's priority",
    async () => {
      const embeddedDir = await mkdtemp(join(tmpdir(), 'auth-process-embedded-'));
      try {
        const api = startApi({ PORT: '0', DATA_DIR: embeddedDir, PASSWORD_HASH_NICE: '10' });
        const listening = await waitFor(() => api.lines.find((line) => line.msg === 'API listening'), 60_000);
        expect(listening).toMatchObject({ database: 'embedded PGlite', hashThreads: 'nice 10' });
        const pid = api.child.pid!;
        const nices = readdirSync(`/proc/${pid}/task`).map((tid) => niceOf(Number(tid), { pid }));
        // The event loop and PGlite's thread at the server's priority; libuv's pool and V8's helpers lowered.
        expect(nices.filter((nice) => nice === getPriority())).toHaveLength(2);
        expect(nices.filter((nice) => nice === 10).length).toBeGreaterThanOrEqual(4);
        api.child.kill('SIGTERM');
        expect(await api.exited).toBe(0);
      } finally {
        await rm(embeddedDir, { recursive: true, force: true });
      }
    },
  );

  it('the quick-start command passes SIGTERM on to the server, which drains and stops', async () => {
    const api = startApi(serverEnv(), [process.execPath, 'scripts/bootstrap.mjs', 'start'], ROOT);
    await waitFor(() => api.lines.find((line) => line.msg === 'API listening'), 60_000);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(stopped(api)).toBe(true);
  });

  it('the server stops too when whatever ran the quick-start command (npm, a shell) is killed', async () => {
    // `sh -c '...; exit'` keeps the shell alive as the parent, the way npm's script shell is.
    const api = startApi(
      serverEnv(),
      ['/bin/sh', '-c', `"${process.execPath}" scripts/bootstrap.mjs start; exit $?`],
      ROOT,
    );
    await waitFor(() => api.lines.find((line) => line.msg === 'API listening'), 60_000);
    api.child.kill('SIGKILL');
    expect(await waitFor(() => stopped(api), 10_000)).toBe(true);
  });

  it('WEB_CONCURRENCY=2: workers share the port, a dead worker is replaced, SIGTERM stops them all', async () => {
    const api = startApi({ ...serverEnv(), WEB_CONCURRENCY: '2' });
    await waitFor(() => api.lines.find((line) => line.msg === 'all workers listening'), 90_000);
    const listening = api.lines.filter((line) => line.msg === 'API listening');
    expect(new Set(listening.map((line) => line.worker))).toEqual(new Set([1, 2]));
    expect(new Set(listening.map((line) => line.url)).size).toBe(1); // one port, both workers
    const base = String(listening[0]!.url).replace(/\/graphql$/, '');
    const ready = async () => (await (await fetch(`${base}/readyz`)).json()) as { workers?: object };
    expect(await ready()).toMatchObject({ status: 'ready', workers: { ready: 2, expected: 2 } });
    // Migrations ran once, in the primary, before any worker started.
    expect(api.lines.filter((line) => line.msg === 'starting workers')).toHaveLength(1);

    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(api.child.pid)], { encoding: 'utf8' })
      .stdout.trim()
      .split(/\s+/)
      .map(Number);
    expect(children).toHaveLength(2);
    process.kill(children[0]!, 'SIGKILL');
    await waitFor(() => api.lines.find((line) => line.msg === 'worker died; starting another'), 10_000);
    await waitFor(
      () => api.lines.filter((line) => line.msg === 'API listening').length >= 3 || undefined,
      90_000,
    );
    const deadline = Date.now() + 10_000;
    let counts = await ready();
    while (
      JSON.stringify(counts.workers) !== JSON.stringify({ ready: 2, expected: 2 }) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      counts = await ready();
    }
    expect(counts.workers).toEqual({ ready: 2, expected: 2 });

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.lines.filter((line) => line.msg === 'stopped').length).toBe(3); // two workers, then the primary
    const left = spawnSync('ps', ['-o', 'pid=', '--ppid', String(api.child.pid)], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(left).toBe('');
  });
});

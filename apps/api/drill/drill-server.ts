/**
 * The server a drill attacks: the real API as its own Node process (so its CPU time and memory can
 * be read from /proc), on PostgreSQL (a throw-away database) and Redis (a throw-away key prefix),
 * listening on an ephemeral loopback port. `DRILL_API_DIR` points at another checkout's apps/api to
 * drill an older version for before/after figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, deleteRedisKeys, TEST_REDIS_URL } from '../test/support/test-database.js';

const API_DIR = process.env.DRILL_API_DIR ?? fileURLToPath(new URL('..', import.meta.url));
const TICKS_PER_SECOND = 100; // Linux USER_HZ

export interface DrillServer {
  url: string;
  origin: string;
  port: number;
  databaseUrl: string;
  /** Server CPU time (user + system) so far, in ms. */
  cpuMs(): Promise<number>;
  /** Resident memory now, in MB. */
  rssMb(): Promise<number>;
  alive(): boolean;
  /** Bytes the server has written to stdout/stderr so far (at LOG_LEVEL=error: its error lines). */
  logBytes(): number;
  sql(text: string, params?: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startDrillServer(env: Record<string, string> = {}): Promise<DrillServer> {
  const database = await createTestDatabase('drill');
  const keyPrefix = `drill:${randomBytes(6).toString('hex')}:`;
  const dataDir = await mkdtemp(join(tmpdir(), 'drill-data-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      // info, to read the listening address; only error lines (level >= 50) are counted as log volume.
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  let logBytes = 0;
  let partial = '';
  const countErrorLines = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 60);
      if (level >= 50) logBytes += line.length + 1;
    }
  };
  child.stdout!.on('data', countErrorLines);
  child.stderr!.on('data', countErrorLines);
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('drill server did not start in 60 s')), 60_000);
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`drill server exited with ${code}: ${buffer.slice(-2000)}`));
    });
  });
  let url: string;
  try {
    url = await started;
  } catch (error) {
    // Leave nothing behind: the process, its database, its data directory.
    if (!exited) child.kill('SIGKILL');
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const db = new pg.Pool({ connectionString: database.url, max: 1 });
  const stat = async () => (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const origin = new URL(url).origin;
  return {
    url,
    origin,
    port: Number(new URL(url).port),
    databaseUrl: database.url,
    async cpuMs() {
      const fields = await stat();
      // Fields after "(comm) ": state is [0], utime [11], stime [12].
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    },
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    alive: () => !exited,
    logBytes: () => logBytes,
    async sql(text, params = []) {
      return (await db.query(text, params)).rows;
    },
    async close() {
      await db.end();
      if (!exited) {
        child.kill('SIGTERM');
        await new Promise((resolve) => {
          const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve(undefined);
          });
        });
      }
      await deleteRedisKeys(keyPrefix);
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

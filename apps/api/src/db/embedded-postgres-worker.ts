/**
 * The embedded PostgreSQL's own thread (started by embedded-postgres.ts). PGlite runs Postgres as
 * WebAssembly on the thread that created it: on the server's main thread its start-up (about a
 * second of CPU) waited for the API's module loading, and every query it executed stalled the
 * event loop. Here both run beside the API; the API talks to it over loopback like any Postgres.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { copyPgliteTemplate } from './pglite-template.js';

export interface EmbeddedWorkerData {
  directory: string;
  maxConnections: number;
  sharedBuffers: string;
}

/** What the thread says: once, when it listens or could not start. */
export type EmbeddedWorkerMessage =
  | { type: 'listening'; address: string; osThreadId: number | null }
  | { type: 'failed'; message: string };

const data = workerData as EmbeddedWorkerData;
const port = parentPort!;

try {
  // A new data directory starts as a copy of the install-time template (pglite-template.ts), when
  // there is one; otherwise PGlite creates the cluster (initdb) in it.
  if (!existsSync(join(data.directory, 'PG_VERSION'))) await copyPgliteTemplate(data.directory);
  await mkdir(data.directory, { recursive: true });
  // Postgres' own code, compiled by V8's baseline compiler only: V8 otherwise recompiles the hot part
  // of the 9 MB module with its optimising compiler in the background, which at start costs more CPU
  // (and ~50 MiB) than the optimised code saves on an embedded database's few queries. Read when the
  // module is compiled, so it must be set before PGlite.create; only WebAssembly is affected.
  setFlagsFromString('--liftoff-only');
  const db = await PGlite.create(data.directory, {
    // PostgreSQL's default 128 MB of shared buffers are touched at start, i.e. resident from the
    // first second: a development database fits in 16 MB, and a page that does not is one file read.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${data.sharedBuffers}`],
  });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: data.maxConnections,
  });
  await server.start();
  port.once('message', async () => {
    // 'stop': close the port last, so the thread ends only once the data is safely written.
    await server.stop();
    await db.close();
    port.close();
  });
  port.postMessage({
    type: 'listening',
    address: server.getServerConn(),
    osThreadId: osThreadId(),
  } satisfies EmbeddedWorkerMessage);
} catch (error) {
  port.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  } satisfies EmbeddedWorkerMessage);
  port.close();
}

/** This thread's id in the kernel (Linux: /proc/thread-self is <pid>/task/<tid>), else null. */
function osThreadId(): number | null {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch {
    return null;
  }
}

import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded-postgres-worker.js';

const SHARED_BUFFERS = '16MB';

export interface EmbeddedPostgres {
  /** Connection string for the normal Postgres driver. */
  url: string;
  /** PGlite's thread as the kernel knows it (Linux), so it can be kept at the server's priority. */
  osThreadId: number | null;
  /** Hears if PGlite's thread ends on its own after it started (not after stop()). */
  onCrash(listener: (error: Error) => void): void;
  stop(): Promise<void>;
}

/**
 * Zero-config PostgreSQL: PGlite (Postgres compiled to WASM) persisted under `dataDir/pgdata`,
 * exposed on a loopback port chosen by the OS so the ordinary `pg` driver and MikroORM talk to it
 * exactly as they talk to a real server. `maxConnections` must cover the ORM pool.
 *
 * PGlite runs on a thread of its own (embedded-postgres-worker.ts), so a caller that starts it early
 * can load the rest of the server meanwhile; whoever uses it later subscribes to `onCrash`.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  maxConnections: number;
}): Promise<EmbeddedPostgres> {
  const worker = spawnWorker({
    directory: resolve(options.dataDir, 'pgdata'),
    maxConnections: options.maxConnections + 1,
    sharedBuffers: SHARED_BUFFERS,
  });
  let stopping = false;
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  type Listening = Extract<EmbeddedWorkerMessage, { type: 'listening' }>;
  const started = await new Promise<Listening>((listening, failed) => {
    worker.once('message', (message: EmbeddedWorkerMessage) =>
      message.type === 'listening'
        ? listening(message)
        : failed(new Error(`embedded PostgreSQL did not start: ${message.message}`)),
    );
    worker.once('error', failed);
    void exited.then(() => failed(new Error('embedded PostgreSQL stopped while starting')));
  });
  const crashListeners: Array<(error: Error) => void> = [];
  const crashed = (error: Error) => {
    for (const listener of crashListeners) listener(error);
  };
  worker.on('error', crashed);
  void exited.then(() => {
    if (!stopping) crashed(new Error('embedded PostgreSQL stopped'));
  });
  return {
    url: `postgres://postgres@${started.address}/postgres`,
    osThreadId: started.osThreadId,
    onCrash(listener) {
      crashListeners.push(listener);
    },
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}

/**
 * The compiled thread in dist/. From the sources (tests, `pnpm dev`) the same file through tsx's
 * loader, registered inside the thread: Node 20 does not apply `--import` hooks to a worker's entry.
 */
function spawnWorker(workerData: EmbeddedWorkerData): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const file = new URL(`./embedded-postgres-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  // Not the server's own flags (a worker inherits them by default, and refuses some, such as
  // --input-type or heap sizes meant for the server).
  if (!fromSources) return new Worker(file, { workerData, execArgv: [] });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(file.href);
  return new Worker(`import(${tsx}).then(({ tsImport }) => tsImport(${entry}, ${entry}))`, {
    eval: true,
    workerData,
    execArgv: [],
  });
}

/** Where embedded data lives, for messages. */
export function embeddedDataPath(dataDir: string): string {
  return join(resolve(dataDir), 'pgdata');
}

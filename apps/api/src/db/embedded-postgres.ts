import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { copyPgliteTemplate } from './pglite-template.js';

const SHARED_BUFFERS = '16MB';

export interface EmbeddedPostgres {
  /** Connection string for the normal Postgres driver. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Zero-config PostgreSQL: PGlite (Postgres compiled to WASM) persisted under `dataDir/pgdata`,
 * exposed on a loopback port chosen by the OS so the ordinary `pg` driver and MikroORM talk to it
 * exactly as they talk to a real server. `maxConnections` must cover the ORM pool.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  maxConnections: number;
}): Promise<EmbeddedPostgres> {
  const directory = resolve(options.dataDir, 'pgdata');
  // A new data directory starts as a copy of the install-time template (pglite-template.ts), when
  // there is one; otherwise PGlite creates the cluster (initdb) in it.
  if (!existsSync(join(directory, 'PG_VERSION'))) await copyPgliteTemplate(directory);
  await mkdir(directory, { recursive: true });
  // Postgres' own code, compiled by V8's baseline compiler only: V8 otherwise recompiles the hot part
  // of the 9 MB module with its optimising compiler in the background, which at start costs more CPU
  // (and ~50 MiB) than the optimised code saves on an embedded database's few queries. Read when the
  // module is compiled, so it must be set before PGlite.create; only WebAssembly is affected.
  setFlagsFromString('--liftoff-only');
  const db = await PGlite.create(directory, {
    // PostgreSQL's default 128 MB of shared buffers are touched at start, i.e. resident from the
    // first second: a development database fits in 16 MB, and a page that does not is one file read.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections + 1,
  });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Where embedded data lives, for messages. */
export function embeddedDataPath(dataDir: string): string {
  return join(resolve(dataDir), 'pgdata');
}

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { loadPgliteTemplate } from './pglite-template.js';

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
  await mkdir(directory, { recursive: true });
  // A new data directory starts from the install-time template (pglite-template.ts) when there is one.
  const fresh = !existsSync(join(directory, 'PG_VERSION'));
  const template = fresh ? await loadPgliteTemplate() : undefined;
  const db = await PGlite.create(directory, template ? { loadDataDir: template } : {});
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

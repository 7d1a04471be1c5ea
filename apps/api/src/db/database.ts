import { MikroORM } from '@mikro-orm/postgresql';
import { stripStatement } from '../dependencies/safe-error.js';
import type { Logger } from '../logger.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { applyPendingMigrations } from './migrate.js';
import { createOrmConfig, type DatabaseTimeouts } from './orm-config.js';

export interface Database {
  orm: MikroORM;
  /** True when running on the embedded PGlite instead of a PostgreSQL server. */
  embedded: boolean;
  /** The embedded database's thread (Linux), which serves requests like the event loop; else null. */
  embeddedThreadId: number | null;
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL (`databaseUrl`) or starts the embedded one, then applies the committed
 * migrations so a fresh database is usable at once.
 */
export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
  poolSize: number;
  logger: Logger;
  migrate?: boolean;
  timeouts?: Omit<DatabaseTimeouts, 'serverSettings'>;
  /** The embedded database when the caller started it already (main.ts, to overlap module loading). */
  embedded?: Promise<EmbeddedPostgres>;
}): Promise<Database> {
  let embedded: EmbeddedPostgres | null = null;
  if (options.databaseUrl === null) {
    embedded = await (options.embedded ??
      startEmbeddedPostgres({ dataDir: options.dataDir, maxConnections: options.poolSize }));
    embedded.onCrash((error) => options.logger.error({ err: error }, 'embedded PostgreSQL (PGlite) stopped'));
    options.logger.info({ dataDir: options.dataDir }, 'embedded PostgreSQL (PGlite) started');
  }
  try {
    const orm = await MikroORM.init(
      createOrmConfig({
        clientUrl: options.databaseUrl ?? embedded!.url,
        poolSize: options.poolSize,
        timeouts: options.timeouts && { ...options.timeouts, serverSettings: embedded === null },
        log: {
          warn: (message) => options.logger.warn({ detail: stripStatement(message) }, 'database driver'),
        },
      }),
    );
    if (options.migrate ?? true) {
      const applied = await applyPendingMigrations(orm);
      if (applied.length > 0) options.logger.info({ migrations: applied }, 'migrations applied');
    }
    return {
      orm,
      embedded: embedded !== null,
      embeddedThreadId: embedded?.osThreadId ?? null,
      async close() {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

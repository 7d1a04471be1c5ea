import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { UserSchema } from '../modules/users/user.entity.js';
import { MIGRATIONS_TABLE } from './migrate.js';

export interface OrmSettings {
  clientUrl: string;
  poolSize: number;
  debug?: boolean;
  /** Bounded waits; unset: the drivers' defaults (unbounded statements, 60 s pool wait). */
  timeouts?: DatabaseTimeouts;
  /** Where knex's own warnings go (it prints plain text to the console otherwise). */
  log?: { warn(message: string): void };
}

export interface DatabaseTimeouts {
  connectMs: number;
  acquireMs: number;
  statementMs: number;
  /** PGlite takes no server-side session settings: then only the client-side bounds apply. */
  serverSettings: boolean;
}

/**
 * pg and knex options for bounded waits. `statement_timeout` lets PostgreSQL cancel a slow
 * statement; `query_timeout` (client side, a little later) covers a server that no longer answers
 * at all (a partition). A connection whose statement timed out on the client still has that
 * statement in flight, so it must not be handed out again: `validate` drops any pooled connection
 * that is not ready for a query, and the pool opens a fresh one.
 */
function boundedWaits(timeouts: DatabaseTimeouts) {
  const server = timeouts.serverSettings
    ? {
        statement_timeout: timeouts.statementMs,
        // A transaction left open by a stalled request must not hold row locks for long.
        idle_in_transaction_session_timeout: Math.max(timeouts.statementMs * 2, 5_000),
      }
    : {};
  return {
    connection: {
      connectionTimeoutMillis: timeouts.connectMs,
      query_timeout: timeouts.statementMs + 500,
      keepAlive: true,
      ...server,
    },
    pool: {
      acquireTimeoutMillis: timeouts.acquireMs,
      createTimeoutMillis: timeouts.connectMs,
      destroyTimeoutMillis: 1_000,
      validate: (connection: { readyForQuery?: boolean; connection?: { stream?: { destroy(): void } } }) => {
        if (connection.readyForQuery !== false) return true;
        connection.connection?.stream?.destroy();
        return false;
      },
    },
  };
}

/** The one MikroORM configuration, shared by the server, the CLI and the tests. */
export function createOrmConfig(settings: OrmSettings): Options {
  const bounded = settings.timeouts ? boundedWaits(settings.timeouts) : null;
  const log = settings.log;
  return defineConfig({
    clientUrl: settings.clientUrl,
    entities: [UserSchema],
    // No Migrator extension here: migrate.ts loads it (and the migration classes) when a migration
    // is pending or a command asks for it, and adds `migrationsList` to this section then.
    // Requests must fork their own EntityManager; touching the global one is a bug.
    allowGlobalContext: false,
    debug: settings.debug ?? false,
    pool: { min: 0, max: settings.poolSize, ...bounded?.pool },
    driverOptions: {
      ...(bounded ? { connection: bounded.connection } : {}),
      ...(log
        ? { log: { warn: log.warn, error: log.warn, deprecate: log.warn, debug: () => undefined } }
        : {}),
    },
    migrations: {
      tableName: MIGRATIONS_TABLE,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      path: 'src/db/migrations',
      pathTs: 'src/db/migrations',
    },
  });
}

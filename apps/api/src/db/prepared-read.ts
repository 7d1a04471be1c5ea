import type { EntityManager } from '@mikro-orm/postgresql';
import { numberPlaceholders } from './sql-client.js';

/** A read run on every authenticated request, under a name of its own (one prepared statement). */
export interface PreparedRead {
  /** The prepared statement's name: unique per distinct text (PostgreSQL keys them by connection). */
  name: string;
  /** knex-style `?` placeholders, as everywhere else (sql-client.ts). */
  sql: string;
  /** The same with pg's `$n`. */
  text: string;
}

export function preparedRead(name: string, sql: string): PreparedRead {
  return { name, sql, text: numberPlaceholders(sql) };
}

/** What is read off knex here: its pool and its query events (tracing listens to those). */
interface KnexPool {
  listeners(event: string): ((...args: unknown[]) => unknown)[];
  client: {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): Promise<unknown>;
  };
}

interface PgConnection {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Rows of `read`, for the hottest reads only (the viewer of `me`). Through knex's runner a primary-
 * key select cost three times what the query itself does on a pooled pg connection (building the
 * query object, runner bookkeeping, events), and parsing the statement each time on top: here it is
 * a named prepared statement on a connection of the same pool (same timeouts, same type parsers).
 *
 * Falls back to the ordinary path when that matters: inside the fork's transaction (the read must
 * see it), and when something listens to knex's query events (tracing's SQL spans).
 */
/**
 * How many of knex's `query` listeners are not observers: MikroORM registers a no-op one when it
 * creates the client, before anything else can (AbstractSqlConnection.createKnexClient).
 */
const ownListeners = new WeakMap<KnexPool, number>();
function isObserved(knex: KnexPool): boolean {
  const listeners = knex.listeners('query');
  let own = ownListeners.get(knex);
  if (own === undefined) {
    own = listeners[0]?.toString() === 'data => data' ? 1 : 0;
    ownListeners.set(knex, own);
  }
  return listeners.length > own;
}

export async function preparedRows(
  em: EntityManager,
  read: PreparedRead,
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  const connection = em.getConnection();
  const transaction = em.getTransactionContext();
  const knex = connection.getKnex() as unknown as KnexPool;
  if (transaction || isObserved(knex)) {
    return connection.execute(read.sql, values, 'all', transaction);
  }
  const pg = await knex.client.acquireConnection();
  try {
    return (await pg.query({ name: read.name, text: read.text, values })).rows;
  } finally {
    await knex.client.releaseConnection(pg);
  }
}

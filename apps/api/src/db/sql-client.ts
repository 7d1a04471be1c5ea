import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';

/**
 * The narrow SQL surface raw-SQL stores need. Placeholders are knex-style `?` because the app runs
 * these through MikroORM (`execute` uses knex raw bindings). Write no `?` inside string literals and
 * never `??` (knex reads it as an identifier binding), and bind no arrays: MikroORM inlines an array
 * as a comma list while pg sends it as a PostgreSQL array, so use one `?` per element instead.
 */
export interface SqlClient {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** Rewrites `?` placeholders to PostgreSQL's `$1..$n` for drivers that bind natively (pg, PGlite). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Adapter over a pg Pool: what tests and tools use without booting MikroORM. */
export function createPgSqlClient(pool: Pool): SqlClient {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const result = await pool.query(numberPlaceholders(sql), params);
      return result.rows as T[];
    },
  };
}

/**
 * Adapter over a MikroORM EntityManager (pass the request's fork). Runs inside the fork's
 * transaction when there is one, so raw-SQL stores join unit-of-work transactions.
 */
export function createMikroOrmSqlClient(em: EntityManager): SqlClient {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const rows = await em.getConnection().execute(sql, params, 'all', em.getTransactionContext());
      return rows as T[];
    },
  };
}

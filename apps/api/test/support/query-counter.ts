import type { Services } from '../../src/services.js';

/**
 * Counts the SQL statements the ORM's connection sends while `fn` runs (knex emits `query` for each
 * one, including the raw SQL of stores and services that go through MikroORM).
 */
export async function countQueries<T>(
  services: Services,
  fn: () => Promise<T>,
): Promise<{ result: T; queries: string[] }> {
  const knex = (
    services.db.orm.em.getConnection() as unknown as { getKnex(): NodeJS.EventEmitter }
  ).getKnex();
  const queries: string[] = [];
  const listener = (query: { sql: string }) => queries.push(query.sql);
  knex.on('query', listener);
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    knex.off('query', listener);
  }
}

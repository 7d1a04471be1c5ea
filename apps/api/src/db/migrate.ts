import { readdirSync } from 'node:fs';
import type { Migrator } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';

/** The migrator's bookkeeping table (orm-config.ts names it). */
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/**
 * The committed migrations' names, from the files next to this module (sources under vitest, the
 * build under node): enough to tell whether a database is current without loading the migrator
 * (umzug and the migration classes, ~150 ms of every start). migrations/index.ts lists the same
 * files with their classes; a test holds the two together.
 */
export const MIGRATION_NAMES: readonly string[] = readdirSync(new URL('./migrations/', import.meta.url))
  .map((file) => /^(Migration\w+)\.(?:js|ts)$/.exec(file)?.[1])
  .filter((name): name is string => name !== undefined)
  .sort();

/** The ORM's migrator, loaded (with the migration classes) only by whoever needs it. */
export async function loadMigrator(orm: MikroORM): Promise<Migrator> {
  const [{ Migrator }, { migrationsList }] = await Promise.all([
    import('@mikro-orm/migrations'),
    import('./migrations/index.js'),
  ]);
  orm.config.set('migrations', { ...orm.config.get('migrations'), migrationsList });
  Migrator.register(orm);
  return orm.migrator as Migrator;
}

/** Names of the migrations `orm`'s database has applied (none when it has never been migrated). */
async function appliedMigrations(orm: MikroORM): Promise<Set<string>> {
  const connection = orm.em.getConnection();
  const [table] = await connection.execute<Array<{ present: boolean }>>(
    'select to_regclass(?) is not null as present',
    [`public.${MIGRATIONS_TABLE}`],
  );
  if (!table?.present) return new Set();
  const rows = await connection.execute<Array<{ name: string }>>(`select name from ${MIGRATIONS_TABLE}`);
  return new Set(rows.map((row) => row.name));
}

/**
 * Applies the committed migrations the database lacks; returns their names. A current database
 * (every start but the first after an upgrade) costs two small queries and no migrator.
 */
export async function applyPendingMigrations(orm: MikroORM): Promise<string[]> {
  const applied = await appliedMigrations(orm);
  if (MIGRATION_NAMES.every((name) => applied.has(name))) return [];
  const migrator = await loadMigrator(orm);
  return (await migrator.up()).map((migration) => migration.name);
}

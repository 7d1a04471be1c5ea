import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';
import { applyPendingMigrations, loadMigrator, MIGRATION_NAMES, MIGRATIONS_TABLE } from './migrate.js';
import { migrationsList } from './migrations/index.js';
import { createOrmConfig } from './orm-config.js';

describe('migrations at start', () => {
  it('names the same migrations as the registered list', () => {
    expect([...MIGRATION_NAMES]).toEqual(migrationsList.map((m) => m.name).sort());
  });

  describe('on a real database', () => {
    let database: TestDatabase;
    let orm: MikroORM;
    beforeAll(async () => {
      database = await createTestDatabase('migrate');
      orm = await MikroORM.init(createOrmConfig({ clientUrl: database.url, poolSize: 1 }));
    });
    afterAll(async () => {
      await orm?.close(true);
      await database?.drop();
    });

    it('applies every migration to a new database, in order, then has nothing to do', async () => {
      expect(await applyPendingMigrations(orm)).toEqual(migrationsList.map((m) => m.name));
      expect(await applyPendingMigrations(orm)).toEqual([]);
      const rows = await orm.em.getConnection().execute(`select name from ${MIGRATIONS_TABLE}`);
      expect(rows).toHaveLength(migrationsList.length);
    });

    it('applies only what is missing when the database is behind', async () => {
      const last = migrationsList.at(-1)!;
      // umzug's `to` is inclusive: reverts the last migration only.
      await (await loadMigrator(orm)).down({ to: last.name });
      expect(await applyPendingMigrations(orm)).toEqual([last.name]);
    });
  });
});

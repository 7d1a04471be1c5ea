import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { UserSchema } from '../modules/users/user.entity.js';
import { migrationsList } from './migrations/index.js';

export interface OrmSettings {
  clientUrl: string;
  poolSize: number;
  debug?: boolean;
}

/** The one MikroORM configuration, shared by the server, the CLI and the tests. */
export function createOrmConfig(settings: OrmSettings): Options {
  return defineConfig({
    clientUrl: settings.clientUrl,
    entities: [UserSchema],
    extensions: [Migrator],
    // Requests must fork their own EntityManager; touching the global one is a bug.
    allowGlobalContext: false,
    debug: settings.debug ?? false,
    pool: { min: 0, max: settings.poolSize },
    migrations: {
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      path: 'src/db/migrations',
      pathTs: 'src/db/migrations',
    },
  });
}

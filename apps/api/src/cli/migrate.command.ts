import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/database.js';
import { loadMigrator } from '../db/migrate.js';
import { createLogger } from '../logger.js';
import type { Command } from './command.js';

export const migrate: Command = {
  summary: 'apply pending migrations (the server also does this on start)',
  async run({ config, stdout }) {
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.dbPoolSize,
      logger: createLogger(config.logLevel),
      migrate: false,
    });
    try {
      const applied = await (await loadMigrator(db.orm)).up();
      stdout.write(
        applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}\n` : 'database is up to date\n',
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};

// The sources, also when this runs from the build (dist/cli/ and src/cli/ sit at the same depth).
const MIGRATIONS_DIR = new URL('../../src/db/migrations/', import.meta.url);

/**
 * Writes an empty migration class named by timestamp; register it in db/migrations/index.ts.
 * Migrations are hand-written SQL so they read the same on PostgreSQL and PGlite.
 */
export const migrationCreate: Command = {
  summary: 'create an empty migration file: migration:create <PascalCaseName>',
  async run({ args, stdout, stderr }) {
    const label = args[0];
    if (!label || !/^[A-Z][A-Za-z0-9]*$/.test(label)) {
      stderr.write('usage: pnpm db:migration:create <PascalCaseName>\n');
      return 2;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const className = `Migration${stamp}${label}`;
    const file = new URL(`${className}.ts`, MIGRATIONS_DIR);
    await writeFile(
      file,
      `import { Migration } from '@mikro-orm/migrations';\n\nexport class ${className} extends Migration {\n  override async up(): Promise<void> {\n    this.addSql('');\n  }\n\n  override async down(): Promise<void> {\n    this.addSql('');\n  }\n}\n`,
      { flag: 'wx' },
    );
    stdout.write(
      `created ${fileURLToPath(file)}\nadd { name: '${className}', class: ${className} } to db/migrations/index.ts\n`,
    );
    return 0;
  },
};

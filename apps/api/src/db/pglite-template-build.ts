import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logger.js';
import { openDatabase } from './database.js';
import { CACHE_DIR, PGLITE_TEMPLATE, templatesOfThisPglite } from './pglite-template.js';

/**
 * Creates a cluster in a scratch directory beside the cache, migrates it as a start would, and
 * renames it into place as the template; other templates of this PGlite version are removed.
 */
export async function buildPgliteTemplate(): Promise<string> {
  await mkdir(CACHE_DIR, { recursive: true });
  // In the cache folder itself, so that the final rename stays on one filesystem.
  const scratch = await mkdtemp(join(CACHE_DIR, '.pglite-template-'));
  try {
    const migrated = await openDatabase({
      databaseUrl: null,
      dataDir: scratch,
      poolSize: 1,
      logger: createLogger('silent'),
    });
    // Closing shuts PostgreSQL down cleanly: the copied directory needs no recovery at start.
    await migrated.close();
    await rm(PGLITE_TEMPLATE, { recursive: true, force: true });
    await rename(join(scratch, 'pgdata'), PGLITE_TEMPLATE);
    for (const older of templatesOfThisPglite()) {
      if (basename(older) !== basename(PGLITE_TEMPLATE)) await rm(older, { recursive: true, force: true });
    }
    return PGLITE_TEMPLATE;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// `node dist/db/pglite-template-build.js`: what the install step runs.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (existsSync(join(PGLITE_TEMPLATE, 'PG_VERSION'))) process.exit(0);
  buildPgliteTemplate().then(
    (path) => console.log(`[bootstrap] embedded database template: ${path}`),
    (error: unknown) => {
      console.error(
        '[bootstrap] could not build the embedded database template (first start will be slower):',
        error,
      );
    },
  );
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.js';

/**
 * The entry point, kept light on purpose: it reads the config and, for the embedded database,
 * starts PGlite on its own thread before the rest of the server (graphql, MikroORM, express: about
 * a second of module loading) is even imported, so the two happen at once on the machine's cores.
 */

/** The repository root: `.env` and the default `.data/` live there whatever the working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function main(): Promise<void> {
  const envFile = `${REPO_ROOT}.env`;
  if (existsSync(envFile)) process.loadEnvFile(envFile);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR || `${REPO_ROOT}.data` });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const embeddedPostgres =
    config.databaseUrl === null
      ? import('./db/embedded-postgres.js').then(({ startEmbeddedPostgres }) =>
          startEmbeddedPostgres({ dataDir: config.dataDir, maxConnections: config.dbPoolSize }),
        )
      : null;
  // Reported where it is awaited (openDatabase), not as an unhandled rejection meanwhile.
  embeddedPostgres?.catch(() => undefined);
  const { serve } = await import('./serve.js');
  await serve(config, { embeddedPostgres });
}

main().catch((error: unknown) => {
  console.error('API failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

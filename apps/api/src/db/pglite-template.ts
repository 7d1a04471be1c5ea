import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/**
 * An initialised, empty PGlite cluster, made once at install time (`node scripts/bootstrap.mjs
 * install`) and loaded into a new data directory on the first embedded start. Creating a cluster
 * from scratch (PGlite's initdb) was about 6 s of a 10.7 s cold start; loading this tarball, PGlite's
 * own dump format (`dumpDataDir` / `loadDataDir`), takes a fraction of that and gives the same
 * cluster. Named by PGlite version: another version makes (and uses) its own.
 */
// Its package.json is not exported: read it next to the entry point's folder (dist/).
const PGLITE_VERSION = (
  JSON.parse(
    readFileSync(
      join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json'),
      'utf8',
    ),
  ) as { version: string }
).version;

export const PGLITE_TEMPLATE = fileURLToPath(
  new URL(`../../.cache/pglite-${PGLITE_VERSION}.tar`, import.meta.url),
);

/** The template, if it was built. */
export async function loadPgliteTemplate(): Promise<Blob | undefined> {
  if (!existsSync(PGLITE_TEMPLATE)) return undefined;
  return new Blob([await readFile(PGLITE_TEMPLATE)]);
}

/** Creates a fresh cluster in a temporary directory and writes its dump (atomically) as the template. */
export async function buildPgliteTemplate(): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'pglite-template-'));
  try {
    const db = await PGlite.create(join(scratch, 'pgdata'));
    const dump = await db.dumpDataDir('none');
    await db.close();
    await mkdir(join(PGLITE_TEMPLATE, '..'), { recursive: true });
    const partial = `${PGLITE_TEMPLATE}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, PGLITE_TEMPLATE);
    return PGLITE_TEMPLATE;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// `node dist/db/pglite-template.js`: what the install step runs.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (existsSync(PGLITE_TEMPLATE)) process.exit(0);
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

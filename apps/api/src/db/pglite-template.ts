import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { constants, copyFile, mkdir, readdir, rename, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATION_NAMES } from './migrate.js';

/**
 * An initialised PGlite data directory with every committed migration applied and nobody's rows,
 * made once at install time (`node scripts/bootstrap.mjs install` runs pglite-template-build.ts) and copied into a new data
 * directory on the first embedded start. Creating a cluster from scratch (PGlite's initdb) was about
 * 6 s of a 10.7 s cold start and applying the migrations another second; a file copy of the same
 * directory takes a tenth of a second (PGlite's own `loadDataDir` untars the same files through its
 * WebAssembly filesystem, ~1 s for 40 MB). Named by PGlite version and by the migrations it holds:
 * after an upgrade that adds one, an older template of the same PGlite still serves, and the start
 * applies what it lacks.
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

export const CACHE_DIR = fileURLToPath(new URL('../../.cache/', import.meta.url));
const SCHEMA_DIGEST = createHash('sha256').update(MIGRATION_NAMES.join('\n')).digest('hex').slice(0, 12);
const OF_THIS_PGLITE = new RegExp(`^pglite-${PGLITE_VERSION.replace(/\./g, '\\.')}-[0-9a-f]{12}$`);

export const PGLITE_TEMPLATE = join(CACHE_DIR, `pglite-${PGLITE_VERSION}-${SCHEMA_DIGEST}`);

/** Complete templates of this PGlite version in the cache (a directory holding PG_VERSION), newest first. */
export function templatesOfThisPglite(): string[] {
  if (!existsSync(CACHE_DIR)) return [];
  return readdirSync(CACHE_DIR)
    .filter((name) => OF_THIS_PGLITE.test(name) && existsSync(join(CACHE_DIR, name, 'PG_VERSION')))
    .map((name) => join(CACHE_DIR, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

/**
 * Fills the missing or empty `directory` with a copy of the template of the current migrations
 * (else the newest of this PGlite version); leaves it alone when there is none or it holds files.
 * The copy goes to a sibling first and is renamed into place: a start killed halfway leaves no
 * half-copied cluster. Returns whether it copied.
 */
export async function copyPgliteTemplate(directory: string): Promise<boolean> {
  const template = existsSync(join(PGLITE_TEMPLATE, 'PG_VERSION'))
    ? PGLITE_TEMPLATE
    : templatesOfThisPglite()[0];
  if (template === undefined) return false;
  if (existsSync(directory)) {
    if ((await readdir(directory)).length > 0) return false;
    await rmdir(directory);
  }
  const partial = `${directory}.${process.pid}.partial`;
  await mkdir(dirname(directory), { recursive: true });
  await copyTree(template, partial);
  await rename(partial, directory);
  return true;
}

const COPIES_IN_FLIGHT = 8;

/**
 * A data directory's ~1,000 small files copied several at a time (a clone where the filesystem can
 * share blocks): `fs.cp` copies one entry after another with its own checks, 0.7-1.3 s for the
 * template against 0.14 s this way, which was most of the cold start.
 */
async function copyTree(source: string, target: string): Promise<void> {
  const entries = await readdir(source, { recursive: true, withFileTypes: true });
  const folders: string[] = [];
  const files: string[] = [];
  for (const entry of entries) {
    const path = relative(source, join(entry.parentPath, entry.name));
    if (entry.isDirectory()) folders.push(path);
    else if (entry.isFile()) files.push(path);
    else throw new Error(`unexpected entry in the PGlite template: ${path}`);
  }
  await mkdir(target, { recursive: true });
  // Sorted, a folder comes before the folders inside it.
  for (const folder of folders.sort()) await mkdir(join(target, folder), { recursive: true });
  let next = 0;
  const copier = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await copyFile(join(source, file), join(target, file), constants.COPYFILE_FICLONE);
    }
  };
  await Promise.all(Array.from({ length: COPIES_IN_FLIGHT }, copier));
}

#!/usr/bin/env node
// Creates a new project from this one. Node built-ins only: it runs before any install.
//
//   node scripts/scaffold.mjs <dir> [--name my-app] [--scope @my] [--no-web]
//   pnpm scaffold <dir> ...                   (the same, through the root script)
//
// What it does: copies the project's files (the git-tracked and untracked-but-not-ignored files of
// this checkout, else the tree without node_modules/.data/dist/...), renames the root package and the
// workspace scope everywhere (package.json files, imports, docs, pnpm-lock.yaml), writes a fresh .env
// from .env.example with newly generated secrets, runs `git init` with a first commit and prints the
// next steps. The target must be empty (or missing) and outside this repository.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pnpmCommand } from './lib/pnpm.mjs';

const SOURCE = realpathSync(fileURLToPath(new URL('..', import.meta.url)));
/** Never copied: installs, local data, build output, reports, history and local secrets. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.data',
  'dist',
  'test-results',
  'coverage',
  '.git',
  '.vitest-cache',
]);
const WEB_DIR = 'apps/web';
const SCAFFOLD_TOOLING = new Set([
  'scripts/scaffold.mjs',
  'scripts/dev.mjs',
  'scripts/test/scaffold.test.ts',
  'docs/scaffolding-and-schema-loop.md',
]);
const USAGE = `usage: node scripts/scaffold.mjs <dir> [--name my-app] [--scope @my] [--no-web]

  <dir>          where to create the project: a missing or empty folder outside this repository
  --name <name>  root package name (default: the folder's name)
  --scope <@s>   scope of the workspace packages (default: @<name>)
  --no-web       leave out the example web app (${WEB_DIR}) and the references to it`;

class UsageError extends Error {}

const gitEnv = () => {
  // A scaffold started from a git hook or an IDE must not write into this repository's index.
  const env = { ...process.env };
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX']) delete env[key];
  return env;
};

function git(cwd, args) {
  return spawnSync('git', args, { cwd, encoding: 'utf8', env: gitEnv() });
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** npm's rules for a package name part: lowercase, URL-safe, not starting with . or _. */
const validNamePart = (value) => /^[a-z0-9][a-z0-9._-]*$/.test(value) && value.length <= 214;

/** Where the user ran the command: `pnpm scaffold` runs the script from the repository root. */
const userCwd = () =>
  process.env.npm_lifecycle_event === 'scaffold' && process.env.INIT_CWD
    ? process.env.INIT_CWD
    : process.cwd();

function parseOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string' },
      'no-web': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  if (positionals.length !== 1) throw new UsageError('give exactly one target folder.');
  const target = resolve(userCwd(), positionals[0]);
  const fallback = basename(target)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  const name = values.name ?? fallback;
  if (!validNamePart(name)) {
    throw new UsageError(
      `"${name}" is not a valid package name (lowercase letters, digits, '.', '_', '-'): pass --name.`,
    );
  }
  const scope = values.scope
    ? values.scope.startsWith('@')
      ? values.scope
      : `@${values.scope}`
    : `@${name}`;
  if (!validNamePart(scope.slice(1))) throw new UsageError(`"${scope}" is not a valid npm scope.`);
  return { help: false, target, name, scope, web: !values['no-web'] };
}

/** The realpath of `path`, resolving through its nearest existing ancestor when it does not exist. */
function realpathOfMaybeMissing(path) {
  let existing = path;
  const rest = [];
  while (!existsSync(existing)) {
    rest.unshift(basename(existing));
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  return join(realpathSync(existing), ...rest);
}

/** Why the target cannot be used, or null. */
function refuseTarget(target) {
  const real = realpathOfMaybeMissing(target);
  if (real === SOURCE || real.startsWith(`${SOURCE}${sep}`)) {
    return `${target} is inside the source repository (${SOURCE}); choose a folder outside it, e.g. ../my-app.`;
  }
  if (!existsSync(target)) return null;
  if (!statSync(target).isDirectory()) return `${target} exists and is not a folder.`;
  const entries = readdirSync(target);
  if (entries.length > 0) {
    const shown =
      entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, ... (${entries.length} entries)` : '');
    return `${target} is not empty (${shown}); the scaffold never overwrites files. Choose a new or empty folder.`;
  }
  return null;
}

function isCopied(path) {
  const parts = path.split('/');
  if (parts.some((part) => SKIPPED_DIRS.has(part))) return false;
  const file = parts.at(-1);
  return !(file === '.env' || (file.startsWith('.env.') && file !== '.env.example'));
}

/**
 * The files to copy, as '/'-separated relative paths: git's view of the checkout when there is one
 * (tracked plus untracked-but-not-ignored, so work in progress is included and ignored files are not),
 * else a walk of the tree.
 */
function listSourceFiles() {
  const inGit = git(SOURCE, ['rev-parse', '--is-inside-work-tree']);
  if (inGit.status === 0 && inGit.stdout.trim() === 'true') {
    const listed = git(SOURCE, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
    const files = [...new Set(listed.stdout.split('\0').filter(Boolean))];
    // --cached still lists files deleted in the working tree.
    return {
      mode: 'git',
      files: files.filter((file) => isCopied(file) && lexists(join(SOURCE, file))).sort(),
    };
  }
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(SOURCE, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (!isCopied(path)) continue;
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('');
  return { mode: 'walk', files: files.sort() };
}

function lexists(path) {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The names to rename: the root package name and the scope of the workspace packages. */
function sourceNames() {
  const rootName = JSON.parse(readFileSync(join(SOURCE, 'package.json'), 'utf8')).name;
  const scopes = new Set();
  for (const group of ['apps', 'packages']) {
    const dir = join(SOURCE, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const manifest = join(dir, entry, 'package.json');
      if (!existsSync(manifest)) continue;
      const name = JSON.parse(readFileSync(manifest, 'utf8')).name ?? '';
      if (name.startsWith('@')) scopes.add(name.split('/')[0]);
    }
  }
  if (scopes.size > 1)
    throw new Error(`the workspace packages use several scopes (${[...scopes].join(', ')})`);
  return { rootName, scope: [...scopes][0] ?? null };
}

function createRenamer(from, to) {
  const rules = [];
  if (from.scope) rules.push([new RegExp(`${escapeRegExp(from.scope)}/`, 'g'), `${to.scope}/`]);
  if (from.rootName) {
    rules.push([new RegExp(`(?<![\\w@/.-])${escapeRegExp(from.rootName)}(?![\\w-])`, 'g'), to.name]);
  }
  // The bare brand (the scope without its @: page title, header, storage keys) becomes the new name.
  const brand = from.scope?.slice(1);
  if (brand && brand !== from.rootName) {
    rules.push([new RegExp(`(?<![\\w@/.-])${escapeRegExp(brand)}(?![\\w-])`, 'g'), to.name]);
  }
  return (text) =>
    rules.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/**
 * Takes the web app out of the files that name it: root scripts and lines of ignore files and docs
 * (hand-written files only: the lockfile is the package manager's, see `relock`). Returns the files
 * that still mention it.
 */
function dropWebReferences(target, webPackage, copied) {
  const path = (file) => join(target, file);
  const manifest = JSON.parse(readFileSync(path('package.json'), 'utf8'));
  const mentionsWeb = (value) =>
    value.includes(WEB_DIR) || (webPackage !== null && value.includes(webPackage));
  for (const [script, command] of Object.entries(manifest.scripts ?? {})) {
    if (mentionsWeb(command)) delete manifest.scripts[script];
  }
  writeFileSync(path('package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  for (const file of ['.gitignore', 'README.md']) {
    if (!existsSync(path(file))) continue;
    const text = readFileSync(path(file), 'utf8');
    writeFileSync(
      path(file),
      text
        .split('\n')
        .filter((line) => !line.includes(WEB_DIR))
        .join('\n'),
    );
  }
  return copied.filter((file) => {
    if (SCAFFOLD_TOOLING.has(file)) return false; // they handle a missing web app on purpose
    const full = path(file);
    if (!existsSync(full) || isBinary(readFileSync(full))) return false;
    return mentionsWeb(readFileSync(full, 'utf8'));
  });
}

/**
 * Lets pnpm rewrite the lockfile for the workspace as copied (a removed package loses its importer),
 * from its store when it can, else from the registry. Returns a note when that was not possible.
 */
function relock(target) {
  const [command, ...prefix] = pnpmCommand();
  const attempt = (extra) =>
    spawnSync(command, [...prefix, 'install', '--lockfile-only', '--ignore-scripts', ...extra], {
      cwd: target,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
  let result = attempt(['--offline']);
  if (result.status !== 0) result = attempt(['--prefer-offline']);
  if (result.status === 0) return null;
  return `pnpm could not update pnpm-lock.yaml (${(result.stderr || result.stdout || String(result.error)).trim().split('\n').pop()}): run \`pnpm install\` in the new project`;
}

const isBinary = (buffer) => buffer.subarray(0, 8000).includes(0);

/** A fresh .env from .env.example: every secret-like variable gets a newly generated value. */
function writeEnv(target) {
  const example = join(target, '.env.example');
  const secret = () => randomBytes(32).toString('base64url');
  // Shared secrets only: key material (JWT_PRIVATE_KEYS, ...) has a format random bytes would break.
  const isSecret = (name) => /(^|_)SECRET$/.test(name);
  const generated = [];
  const header = [
    '# Local settings of this project, written by the scaffold with freshly generated secrets.',
    '# Never commit this file (.gitignore lists it); .env.example documents every variable.',
    '',
  ];
  let lines;
  if (existsSync(example)) {
    lines = readFileSync(example, 'utf8')
      .split('\n')
      .map((line) => {
        const match = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
        if (!match || !isSecret(match[1])) return line;
        generated.push(match[1]);
        return `${match[1]}=${secret()}`;
      });
  } else {
    lines = [`JWT_SECRET=${secret()}`, ''];
    generated.push('JWT_SECRET');
  }
  writeFileSync(join(target, '.env'), [...header, ...lines].join('\n'), { mode: 0o600 });
  return generated;
}

function copyFiles(files, target, rename) {
  for (const file of files) {
    const from = join(SOURCE, file);
    const to = join(target, file);
    mkdirSync(dirname(to), { recursive: true });
    const stats = lstatSync(from);
    if (stats.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
      continue;
    }
    const content = readFileSync(from);
    writeFileSync(to, isBinary(content) ? content : rename(content.toString('utf8')));
    chmodSync(to, stats.mode & 0o777);
  }
}

/** `git init` and one commit; sets a local identity only when none is configured. */
function initRepository(target, name) {
  const run = (args) => {
    const result = git(target, args);
    if (result.status !== 0)
      throw new Error(`git ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    return result.stdout.trim();
  };
  if (spawnSync('git', ['--version'], { encoding: 'utf8' }).status !== 0)
    return { ok: false, reason: 'git not found' };
  run(['init', '--quiet']);
  if (git(target, ['config', 'user.name']).status !== 0) run(['config', 'user.name', `${name} developers`]);
  if (git(target, ['config', 'user.email']).status !== 0) run(['config', 'user.email', `${name}@localhost`]);
  // The fresh .env must never reach the history, whatever the copied .gitignore says.
  if (git(target, ['check-ignore', '--quiet', '.env']).status !== 0) {
    const ignoreFile = join(target, '.gitignore');
    const current = existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '';
    writeFileSync(ignoreFile, `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}.env\n`);
  }
  run(['add', '--all']);
  run([
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    `Initial commit: ${name}, scaffolded from the GraphQL auth starter`,
  ]);
  return { ok: true, branch: run(['rev-parse', '--abbrev-ref', 'HEAD']) };
}

function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`[scaffold] ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const { target, name, scope, web } = options;
  const refusal = refuseTarget(target);
  if (refusal) {
    console.error(`[scaffold] refusing: ${refusal}`);
    return 1;
  }

  const startedAt = performance.now();
  const from = sourceNames();
  const { mode, files: all } = listSourceFiles();
  const hasWeb = all.some((file) => file.startsWith(`${WEB_DIR}/`));
  const files = web ? all : all.filter((file) => !file.startsWith(`${WEB_DIR}/`));
  let webPackage = null;
  if (hasWeb && existsSync(join(SOURCE, WEB_DIR, 'package.json'))) {
    webPackage = JSON.parse(readFileSync(join(SOURCE, WEB_DIR, 'package.json'), 'utf8')).name ?? null;
  }

  mkdirSync(target, { recursive: true });
  const rename = createRenamer(from, { name, scope });
  copyFiles(files, target, rename);

  const notes = [];
  if (!web && hasWeb) {
    const leftovers = dropWebReferences(target, webPackage && rename(webPackage), files);
    const relockProblem = relock(target);
    notes.push(
      `left out ${WEB_DIR}/ and its root scripts; pnpm ${relockProblem ? 'did not rewrite' : 'rewrote'} the lockfile`,
    );
    if (relockProblem) notes.push(relockProblem);
    if (leftovers.length > 0)
      notes.push(`these files still mention ${WEB_DIR}; review them: ${leftovers.join(', ')}`);
  } else if (!web) {
    notes.push(`--no-web: this template has no ${WEB_DIR}/ yet, nothing to leave out`);
  }

  // Renaming changes line lengths (aligned tables, wrapped imports): the project's own formatter puts
  // them back, so `lint` passes on the first commit. Before install there is no formatter: say so.
  const biome = join(SOURCE, 'node_modules', '.bin', process.platform === 'win32' ? 'biome.cmd' : 'biome');
  if (existsSync(biome)) {
    const formatted = spawnSync(biome, ['format', '--write', '.'], { cwd: target, encoding: 'utf8' });
    if (formatted.status !== 0)
      notes.push(`biome format failed in the new project: ${formatted.stderr.trim()}`);
  } else {
    notes.push('not formatted (this checkout is not installed): run `npm run format` after install');
  }

  const secrets = writeEnv(target);
  let repository;
  try {
    repository = initRepository(target, name);
  } catch (error) {
    repository = { ok: false, reason: error.message };
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);

  const where = relative(userCwd(), target) || '.';
  const shortest = where.length <= target.length ? where : target;
  const cdPath = /[\s'"$`\\]/.test(shortest) ? JSON.stringify(shortest) : shortest;
  const withWeb = files.some((file) => file === `${WEB_DIR}/package.json`);
  const packageManager =
    JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')).packageManager ?? 'pnpm';
  const pnpmVersion = packageManager.split('@')[1] ?? '10';
  const packages = all
    .filter((file) => /^(apps|packages)\/[^/]+\/package\.json$/.test(file) && files.includes(file))
    .map((file) => JSON.parse(readFileSync(join(target, file), 'utf8')).name);

  console.log(
    `[scaffold] created ${name} in ${target} (${files.length} files from ${mode === 'git' ? 'git ls-files' : 'the tree'}, ${seconds} s)`,
  );
  console.log(`  packages:   ${name}${packages.length ? `, ${packages.join(', ')}` : ''}`);
  console.log(
    `  .env:       fresh ${secrets.join(', ') || 'file'} (git-ignored; .env.example lists every variable)`,
  );
  console.log(
    repository.ok
      ? `  git:        new repository, one commit on ${repository.branch}`
      : `  git:        not initialised (${repository.reason}); run \`git init && git add -A && git commit -m "Initial commit"\``,
  );
  for (const note of notes) console.log(`  note:       ${note}`);
  console.log(`
Next steps:
  cd ${cdPath}
  npx --yes pnpm@${pnpmVersion} install   # or \`pnpm install\` with pnpm ${pnpmVersion} on PATH
  pnpm dev                        # API on http://127.0.0.1:4000/graphql (embedded Postgres)${withWeb ? ' + the web app' : ''}, regenerates on schema edits
  npm test                        # starts PostgreSQL and Redis if missing (scripts/services.mjs), runs the suite
  pnpm schema:snapshot            # when you release: records schema.graphql for \`pnpm schema:check\`
  git remote add origin <your-repository-url> && git push -u origin ${repository.branch ?? 'main'}
`);
  return 0;
}

const entry = process.argv[1] ? resolve(process.argv[1]) : '';
if (entry && isAbsolute(entry) && realpathOfMaybeMissing(entry) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`[scaffold] failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}

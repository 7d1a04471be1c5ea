// `pnpm scaffold`: a new project from this one. The fast part checks the copy; the end-to-end part
// (SCAFFOLD_E2E=0 skips it) installs the new project and runs its codegen check, type check and tests.
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = realpathSync(fileURLToPath(new URL('../..', import.meta.url)));
const SCRIPT = join(ROOT, 'scripts', 'scaffold.mjs');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
// The names being replaced, read the way the scaffold reads them (this file is renamed too).
const SOURCE_NAME: string = readJson(join(ROOT, 'package.json')).name;
const SOURCE_SCOPE: string = readJson(join(ROOT, 'apps/api/package.json')).name.split('/')[0];
// A project this test scaffolded runs this test too (SCAFFOLD_E2E=full): the names it gives its own
// targets must differ from its own name and scope, or every file would count as a rename left over.
const FIRST_NAME = SOURCE_NAME === 'first-app' ? 'next-app' : 'first-app';
const SCOPE = SOURCE_SCOPE === '@acme' ? '@zeta' : '@acme';
const PNPM_VERSION: string = readJson(join(ROOT, 'package.json')).packageManager.split('@')[1];

/** SCAFFOLD_E2E=full: the end-to-end part runs the new project's whole `npm test` (CI's scaffold stage). */
const FULL_SUITE = process.env.SCAFFOLD_E2E === 'full';

const temp = realpathSync(mkdtempSync(join(tmpdir(), 'scaffold-test-')));
afterAll(() => {
  if (!process.env.KEEP_TEMP) rmSync(temp, { recursive: true, force: true });
});

/** The environment of a child project: nothing of this vitest run leaks into it. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VITEST') || ['NODE_ENV', 'TEST', 'INIT_CWD', 'npm_lifecycle_event'].includes(key)) {
      delete env[key];
    }
  }
  return env;
}

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: cleanEnv(),
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const scaffold = (args: string[], cwd = temp) => run(process.execPath, [SCRIPT, ...args], { cwd });
const git = (cwd: string, ...args: string[]) => run('git', args, { cwd }).output.trim();
const envValue = (dir: string, name: string) =>
  new RegExp(`^${name}=(.*)$`, 'm').exec(readFileSync(join(dir, '.env'), 'utf8'))?.[1];

/** Every file of a project outside .git and node_modules. */
function projectFiles(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((entry) => {
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.name === '.git' || entry.name === 'node_modules') return [];
    return entry.isDirectory() ? projectFiles(dir, path) : [path];
  });
}

function seconds(since: number) {
  return Number(((performance.now() - since) / 1000).toFixed(1));
}

describe('scaffold', () => {
  const first = join(temp, FIRST_NAME);
  const second = join(temp, 'second-app');
  let scaffoldSeconds = 0;

  beforeAll(() => {
    const startedAt = performance.now();
    const result = scaffold([first, '--name', FIRST_NAME, '--scope', SCOPE]);
    scaffoldSeconds = seconds(startedAt);
    expect(result, result.output).toMatchObject({ status: 0 });
    const again = scaffold(['second-app']); // relative to the working directory; defaults from the folder
    expect(again, again.output).toMatchObject({ status: 0 });
  });

  it('prints what it made and the exact next steps', () => {
    const { output } = scaffold([join(temp, 'third-app'), '--scope', SCOPE.slice(1)]);
    expect(output).toContain('created third-app');
    expect(output).toContain(`${SCOPE}/api`);
    expect(output).toMatch(/Next steps:\n {2}cd third-app\n {2}npx --yes pnpm@[\d.]+ install/);
    expect(output).toContain('pnpm dev');
    expect(output).toContain('npm test');
  });

  it('makes a git repository with exactly one commit holding everything but the .env', () => {
    expect(git(first, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(git(first, 'status', '--porcelain')).toBe('');
    expect(git(first, 'ls-files', '.env')).toBe('');
    expect(git(first, 'ls-files', '.env.example')).toBe('.env.example');
    expect(git(first, 'ls-files', 'pnpm-lock.yaml')).toBe('pnpm-lock.yaml');
  });

  it('copies no node_modules, .data, build output or history of the source', () => {
    const files = projectFiles(first);
    expect(files.length).toBeGreaterThan(50);
    for (const skipped of ['node_modules', '.data', 'dist', 'test-results', 'coverage']) {
      expect(files.filter((file) => file.split('/').includes(skipped))).toEqual([]);
    }
    expect(readdirSync(join(first, '.git', 'refs', 'heads')).length).toBe(1);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'pnpm-lock.yaml', 'scripts/scaffold.mjs']));
  });

  it('renames the root package and the scope everywhere, lockfile included', () => {
    const root = readJson(join(first, 'package.json'));
    expect(root.name).toBe(FIRST_NAME);
    expect(readJson(join(first, 'apps/api/package.json')).name).toBe(`${SCOPE}/api`);
    expect(readJson(join(first, 'packages/sdk/package.json')).name).toBe(`${SCOPE}/sdk`);
    expect(root.scripts.bench).toContain(`${SCOPE}/api`);
    expect(readFileSync(join(first, 'pnpm-lock.yaml'), 'utf8')).toContain(`'${SCOPE}/sdk':`);
    const leftovers = projectFiles(first).filter((file) => {
      const text = readFileSync(join(first, file), 'utf8');
      return (
        text.includes(`${SOURCE_SCOPE}/`) ||
        new RegExp(`\\b${SOURCE_NAME}\\b`).test(text) ||
        // The bare brand too (page title, header, storage keys): "gql-auth" alone.
        new RegExp(`(?<![\\w@/.-])${SOURCE_SCOPE.slice(1)}(?![\\w-])`).test(text)
      );
    });
    expect(leftovers).toEqual([]);
    // Defaults: the folder name and @<name>.
    expect(readJson(join(second, 'package.json')).name).toBe('second-app');
    expect(readJson(join(second, 'apps/api/package.json')).name).toBe('@second-app/api');
  });

  it('writes a .env with a fresh secret, different in every project', () => {
    const secret = envValue(first, 'JWT_SECRET');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(envValue(second, 'JWT_SECRET')).not.toBe(secret);
    expect(readFileSync(join(first, '.env.example'), 'utf8')).not.toContain(secret);
    expect(git(first, 'check-ignore', '.env')).toBe('.env');
  });

  it('refuses a non-empty target and says why', () => {
    const result = scaffold([first]);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(
      new RegExp(`refusing: .*${FIRST_NAME} is not empty \\(.+\\); the scaffold never overwrites files`),
    );
    expect(git(first, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('refuses a target inside the source repository, and bad names', () => {
    const inside = scaffold([join(ROOT, 'tmp-scaffold-target')]);
    expect(inside.status).toBe(1);
    expect(inside.output).toContain('inside the source repository');
    expect(existsSync(join(ROOT, 'tmp-scaffold-target'))).toBe(false);
    const badName = scaffold([join(temp, 'bad'), '--name', 'Not A Name']);
    expect(badName.status).toBe(2);
    expect(badName.output).toContain('not a valid package name');
  });

  it('--no-web leaves out apps/web and its references (from a plain folder, not a git checkout)', () => {
    // A source with a web app and no .git: the project copied above, plus a minimal apps/web.
    const source = join(temp, 'with-web');
    expect(scaffold([source, '--name', 'with-web', '--scope', '@web'])).toMatchObject({ status: 0 });
    rmSync(join(source, '.git'), { recursive: true, force: true });
    mkdirSync(join(source, 'apps/web'), { recursive: true });
    writeFileSync(
      join(source, 'apps/web/package.json'),
      JSON.stringify({ name: '@web/web', private: true, scripts: { dev: 'vite' } }),
    );
    mkdirSync(join(source, 'node_modules/junk'), { recursive: true });
    mkdirSync(join(source, '.data'), { recursive: true });
    writeFileSync(join(source, '.data/secret.txt'), 'x');
    const manifest = readJson(join(source, 'package.json'));
    manifest.scripts['dev:web'] = 'pnpm --filter @web/web dev';
    writeFileSync(join(source, 'package.json'), JSON.stringify(manifest, null, 2));
    const lockfile = readFileSync(join(source, 'pnpm-lock.yaml'), 'utf8');
    if (!lockfile.includes('\n  apps/web:\n')) {
      // No web app in this lockfile yet: add an importer for the fake one.
      writeFileSync(
        join(source, 'pnpm-lock.yaml'),
        lockfile.replace(
          /\n {2}packages\/sdk:\n/,
          "\n  apps/web:\n    dependencies:\n      '@web/sdk':\n        specifier: workspace:*\n        version: link:../../packages/sdk\n\n  packages/sdk:\n",
        ),
      );
    }

    const target = join(temp, 'no-web');
    const result = run(process.execPath, [join(source, 'scripts/scaffold.mjs'), target, '--no-web'], {
      cwd: temp,
    });
    expect(result, result.output).toMatchObject({ status: 0 });
    expect(result.output).toContain('from the tree');
    expect(result.output).toContain('left out apps/web/');
    expect(result.output).toContain('pnpm rewrote the lockfile');
    expect(existsSync(join(target, 'apps/web'))).toBe(false);
    expect(existsSync(join(target, 'node_modules'))).toBe(false);
    expect(existsSync(join(target, '.data'))).toBe(false);
    expect(readJson(join(target, 'package.json')).scripts['dev:web']).toBeUndefined();
    const newLockfile = readFileSync(join(target, 'pnpm-lock.yaml'), 'utf8');
    expect(newLockfile).not.toContain('apps/web:');
    expect(newLockfile).toContain('  packages/sdk:\n');
    expect(readFileSync(join(target, '.gitignore'), 'utf8')).not.toContain('apps/web');

    // And without a web app in the source, --no-web is accepted and says there was nothing to drop.
    const plain = scaffold([join(temp, 'plain-no-web'), '--no-web']);
    expect(plain.status).toBe(0);
    expect(existsSync(join(temp, 'plain-no-web', 'apps/api/package.json'))).toBe(true);
  });

  describe.runIf(process.env.SCAFFOLD_E2E !== '0')('end to end (SCAFFOLD_E2E=0 skips)', () => {
    it('installs the new project and runs its codegen check, lint, type check and tests', () => {
      const pnpmProbe = run('pnpm', ['--version']);
      const pnpm =
        pnpmProbe.status === 0 && pnpmProbe.output.trim() === PNPM_VERSION
          ? ['pnpm']
          : ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
      const inProject = (...args: string[]) => run(pnpm[0]!, [...pnpm.slice(1), ...args], { cwd: first });
      const timings: Record<string, number> = { scaffold: scaffoldSeconds };

      let startedAt = performance.now();
      let install = inProject('install', '--frozen-lockfile', '--offline');
      let installMode = 'pnpm install --frozen-lockfile --offline';
      if (install.status !== 0) {
        install = inProject('install', '--frozen-lockfile');
        installMode = 'pnpm install --frozen-lockfile';
      }
      timings.install = seconds(startedAt);
      expect(install, install.output).toMatchObject({ status: 0 });

      startedAt = performance.now();
      const codegenCheck = inProject('codegen:check');
      timings['codegen:check'] = seconds(startedAt);
      expect(codegenCheck, codegenCheck.output).toMatchObject({ status: 0 });

      // Green from the first commit: the rename's formatting is already the formatter's.
      startedAt = performance.now();
      const lint = inProject('lint');
      timings.lint = seconds(startedAt);
      expect(lint, lint.output).toMatchObject({ status: 0 });

      startedAt = performance.now();
      const typecheck = inProject('typecheck');
      timings.typecheck = seconds(startedAt);
      expect(typecheck, typecheck.output).toMatchObject({ status: 0 });

      // The new project's whole `npm test` with SCAFFOLD_E2E=full (CI's scaffold stage: as long again as
      // our own suite), else its first path only. Its own scaffold test skips this part: no recursion.
      startedAt = performance.now();
      const tests = FULL_SUITE
        ? run('npm', ['test'], { cwd: first, env: { ...cleanEnv(), SCAFFOLD_E2E: '0' } })
        : inProject('exec', 'vitest', 'run', 'apps/api/test/first-path.test.ts');
      timings[FULL_SUITE ? 'npm test' : 'first path'] = seconds(startedAt);
      expect(tests, tests.output.slice(-4000)).toMatchObject({ status: 0 });
      expect(tests.output).toMatch(FULL_SUITE ? /vitest: [1-9]\d* passed, 0 failed/ : /Tests\s+.*\d+ passed/);

      const green = Object.values(timings).reduce((sum, value) => sum + value, 0);
      console.log(
        [
          `[scaffold e2e] ${installMode}`,
          ...Object.entries(timings).map(([step, value]) => `  ${step.padEnd(14)} ${value.toFixed(1)} s`),
          `  ${'scaffold → green'.padEnd(14)} ${green.toFixed(1)} s`,
        ].join('\n'),
      );
    }, 2_400_000);
  });
});

#!/usr/bin/env node
// The quick-start commands, usable on a machine that has only Node 20 and npm:
//
//   npm start   ->  node scripts/bootstrap.mjs start   install and build if needed, run the built API
//                                                       (node apps/api/dist/main.js) on embedded defaults
//   npm test    ->  node scripts/bootstrap.mjs test    install and build if needed, make sure PostgreSQL
//                                                       and Redis run (scripts/services.mjs), run the suite
//   npm run cli -- <command>  ->  node scripts/bootstrap.mjs cli <command>   the management CLI, built
//
// `install` installs and builds; `build` rebuilds the API when its sources are newer than the build.
//
// pnpm is used when the pinned major is on PATH, otherwise fetched by npx (no global install needed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNPM_VERSION, pnpmCommand, ROOT } from './lib/pnpm.mjs';
import { DEFAULT_DATABASE_URL, ensureServices } from './services.mjs';

const log = (line) => console.log(`[bootstrap] ${line}`);

function run(command, args, options = {}) {
  const result = spawnSync(command[0], [...command.slice(1), ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    ...options,
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Installs when node_modules is missing or older than the lockfile. */
function ensureInstalled(pnpm) {
  const marker = join(ROOT, 'node_modules', '.modules.yaml');
  const lockfile = join(ROOT, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs) return;
  log(`installing dependencies with pnpm ${PNPM_VERSION}`);
  const status = run(pnpm, ['install', '--frozen-lockfile']);
  if (status !== 0) {
    console.error('[bootstrap] pnpm install failed; see the output above.');
    process.exit(status);
  }
}

const API_DIR = join(ROOT, 'apps', 'api');
const API_DIST = join(API_DIR, 'dist');
const BUILD_STAMP = join(API_DIST, '.built');

/** The newest modification time of the API's sources (what the build compiles) and build config. */
function newestSourceMtime(directory = join(API_DIR, 'src')) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    const mtime = entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

/**
 * Builds the API into apps/api/dist when the build is missing or older than its sources: the server
 * and the CLI run as plain JavaScript, without a TypeScript loader. A fresh build starts from an
 * empty folder, so a source that was moved or deleted leaves nothing behind.
 */
function ensureBuilt(pnpm) {
  ensurePageBuilt(pnpm);
  const configs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((file) => join(API_DIR, file));
  const newest = Math.max(newestSourceMtime(), ...configs.map((file) => statSync(file).mtimeMs));
  if (existsSync(BUILD_STAMP) && statSync(BUILD_STAMP).mtimeMs >= newest) return;
  log('building the API (apps/api/dist)');
  rmSync(API_DIST, { recursive: true, force: true });
  const status = run(pnpm, ['--filter', '@gql-auth/api', 'build']);
  if (status !== 0) {
    console.error('[bootstrap] the API build failed; see the output above.');
    process.exit(status);
  }
  writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
}

const PAGE_DIR = join(ROOT, 'packages', 'graphiql-page');
const PAGE_BUILT = join(PAGE_DIR, 'dist', 'index.html');

/**
 * Builds the GraphiQL page (packages/graphiql-page, a Vite bundle of GraphiQL and React) into static
 * files the API serves: the API has no React or GraphiQL at run time. Rebuilt when its sources, its
 * build config or the lockfile are newer than the build.
 */
function ensurePageBuilt(pnpm) {
  if (!existsSync(PAGE_DIR)) return;
  const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((file) => join(PAGE_DIR, file));
  const newest = Math.max(
    newestSourceMtime(inputs[0]),
    ...inputs.slice(1).map((file) => statSync(file).mtimeMs),
    statSync(join(ROOT, 'pnpm-lock.yaml')).mtimeMs,
  );
  if (existsSync(PAGE_BUILT) && statSync(PAGE_BUILT).mtimeMs >= newest) return;
  log('building the GraphiQL page (packages/graphiql-page/dist)');
  const status = run(pnpm, ['--filter', '@gql-auth/graphiql-page', 'build']);
  if (status !== 0) {
    console.error('[bootstrap] the GraphiQL page build failed; see the output above.');
    process.exit(status);
  }
}

/** Runs a long-lived child, forwarding SIGINT/SIGTERM so graceful shutdown works through npm. */
function exec(command, args, cwd = ROOT, env = process.env) {
  const child = spawn(command[0], [...command.slice(1), ...args], { cwd, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  // `kill <npm pid>` ends npm and its shell without telling us: when our parent is gone, stop too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) child.kill('SIGTERM');
  }, 500).unref();
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * The suites whose behaviour depends on time: `npm test` runs them a second time with the test
 * clock started a year from today (`TEST_CLOCK_OFFSET_DAYS`), so a calendar date hidden anywhere,
 * or an absolute time handed to Redis, fails today instead of on the day it drifts out of range.
 */
const TIME_SENSITIVE_SUITES = [
  'apps/api/src/modules/tokens/',
  'apps/api/src/modules/auth/access-tokens.test.ts',
  'apps/api/src/modules/account/email-token.test.ts',
  'apps/api/test/tokens/',
  'apps/api/test/account/email-tokens.test.ts',
  'packages/sdk/test/refresh.test.ts',
  'packages/sdk/test/cookie-mode.test.ts',
];
const CLOCK_OFFSET_DAYS = '365';

/** One vitest run with a JSON report; returns its exit status and counts. */
function vitestRun(pnpm, name, args, env = process.env) {
  const reportDir = join(ROOT, 'test-results');
  mkdirSync(reportDir, { recursive: true });
  const report = join(reportDir, `${name}.json`);
  rmSync(report, { force: true });
  const status = run(
    pnpm,
    [
      'exec',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...args,
    ],
    { env },
  );
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(report)) {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    counts.passed = summary.numPassedTests ?? 0;
    counts.failed = summary.numFailedTests ?? 0;
    counts.skipped = (summary.numPendingTests ?? 0) + (summary.numTodoTests ?? 0);
  } else if (status !== 0) {
    counts.failed = 1; // vitest died before it could report: count the run itself as a failure
  }
  return { status, counts };
}

// The plain tally test tools read: `N passed, N failed`, with `, N skipped` only when something was skipped.
const line = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;

/** The whole suite, then the time-sensitive suites on a clock a year ahead; closed by one `N passed, N failed` line. */
async function runTests(pnpm, extraArgs) {
  // `.env.test` holds the test services' URLs when they are not the defaults (a role with a password,
  // Docker on other ports): what scripts/services.mjs tells the user to write when a login is refused.
  const testEnv = join(ROOT, '.env.test');
  if (existsSync(testEnv)) process.loadEnvFile(testEnv);
  const services = await ensureServices({
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    log: (line) => console.log(line),
  });
  // A role the service bootstrap made for the tests (and wrote to .env.test) is this run's too.
  if (!process.env.DATABASE_URL && services.postgres.url !== DEFAULT_DATABASE_URL)
    process.env.DATABASE_URL = services.postgres.url;
  const runs = [vitestRun(pnpm, 'vitest', extraArgs)];
  console.log(`vitest (today): ${line(runs[0].counts)}`);
  if (extraArgs.length === 0) {
    log(`time-sensitive suites again with the test clock ${CLOCK_OFFSET_DAYS} days ahead`);
    const offset = vitestRun(pnpm, 'vitest-clock-offset', TIME_SENSITIVE_SUITES, {
      ...process.env,
      TEST_CLOCK_OFFSET_DAYS: CLOCK_OFFSET_DAYS,
    });
    console.log(`vitest (clock +${CLOCK_OFFSET_DAYS} days): ${line(offset.counts)}`);
    runs.push(offset);
  }
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const { counts } of runs) for (const key of Object.keys(total)) total[key] += counts[key];
  console.log(`vitest: ${line(total)}`);
  // CI repeats this line last, after the drills, so the run's closing line is the test count.
  writeFileSync(join(ROOT, 'test-results', 'summary.txt'), `${line(total)}\n`);
  process.exit(runs.find((r) => r.status !== 0)?.status ?? 0);
}

const [task = 'install', ...rest] = process.argv.slice(2);
const pnpm = pnpmCommand();
ensureInstalled(pnpm);
switch (task) {
  case 'install':
    ensureBuilt(pnpm);
    // An initialised empty embedded cluster, so the first `npm start` does not create one (about 6 s).
    run([process.execPath], [join(API_DIST, 'db', 'pglite-template-build.js')]);
    break;
  case 'build':
    ensureBuilt(pnpm);
    break;
  case 'start':
    // Node on the built server directly, not `pnpm start`: pnpm exits on SIGTERM without passing it
    // on, which would orphan a running server; and no package manager or loader sits in between.
    ensureBuilt(pnpm);
    exec([process.execPath], [join(API_DIST, 'main.js'), ...rest], API_DIR);
    break;
  case 'cli':
    ensureBuilt(pnpm);
    exec([process.execPath], [join(API_DIST, 'cli', 'main.js'), ...rest], API_DIR);
    break;
  case 'test':
    ensureBuilt(pnpm);
    await runTests(pnpm, rest);
    break;
  default:
    console.error(`usage: node scripts/bootstrap.mjs install|build|start|cli|test [args]`);
    process.exit(2);
}

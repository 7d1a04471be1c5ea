#!/usr/bin/env node
// `pnpm dev`: the schema-first development loop in one command.
//
//   1. runs codegen once, then watches schema/**/*.graphql and packages/sdk/src/operations/**/*.graphql
//      and re-runs it on every change (debounced); a codegen error is printed and the servers keep
//      running on the last good generated code;
//   2. runs the API with `tsx watch` (the `dev` script of apps/api), which reloads by itself when codegen
//      rewrites the modules it imports (the SDL is one of them: the server reads no files at run time);
//   3. runs the web app's `dev` script too when apps/web exists (skip it with --no-web);
//   4. forwards SIGINT/SIGTERM to every child and exits when they have stopped.
//
//   node scripts/dev.mjs [--no-web] [--no-api]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { watch } from 'chokidar';
import { inspectOperations, inspectSchema } from './schema-check.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WATCHED = [
  { dir: 'schema', kind: 'schema' },
  { dir: 'packages/sdk/src/operations', kind: 'operations' },
];
const DEBOUNCE_MS = 150;
const STOP_TIMEOUT_MS = 10_000;
const isWindows = process.platform === 'win32';
const color = (code) => (text) =>
  process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[${code}m${text}\x1b[0m` : text;
const red = color('31');
const green = color('32');
const dim = color('2');
const log = (line) => console.log(`${dim('[dev]')} ${line}`);

const { values: flags } = parseArgs({
  options: {
    'no-web': { type: 'boolean', default: false },
    'no-api': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log('usage: node scripts/dev.mjs [--no-web] [--no-api]');
  process.exit(0);
}

// --- codegen ---------------------------------------------------------------------------------------

// The package manager's bin shim, as `pnpm codegen` runs it: pnpm's shims also put the hoisted packages on
// NODE_PATH, which is where codegen finds plugins such as `add`.
const codegenBin = join(ROOT, 'node_modules', '.bin', isWindows ? 'graphql-codegen.cmd' : 'graphql-codegen');
if (!existsSync(codegenBin)) {
  console.error('[dev] graphql-codegen is not installed: run `pnpm install` first.');
  process.exit(1);
}

/** Runs codegen in a child process and resolves with its status and combined output. */
function runCodegen() {
  return new Promise((resolve) => {
    const child = spawn(codegenBin, ['--config', 'codegen.yml'], {
      shell: isWindows,
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', (error) => resolve({ ok: false, output: String(error) }));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

/**
 * The failure in a few lines: our own check of the SDL and the operations gives `file:line:col` and a
 * code frame; otherwise (a config or plugin problem) codegen's output without progress lines and stacks.
 */
function explainFailure(output) {
  try {
    const { schema, problems } = inspectSchema(join(ROOT, 'schema'));
    if (problems.length > 0) return problems.join('\n\n');
    const operations = inspectOperations(schema, join(ROOT, 'packages/sdk/src/operations'));
    if (operations.length > 0) return operations.join('\n\n');
  } catch {
    // Fall back to codegen's own words.
  }
  const lines = output
    .split('\n')
    .filter((line) => !/^\s*(❯|✔|›|→)|^\s+at /.test(line))
    .filter((line, index, all) => line.trim() === '' || all.indexOf(line) === index);
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

let codegenRunning = false;
let pendingChanges = new Map(); // path -> kind
let debounceTimer = null;

async function regenerate(changes) {
  codegenRunning = true;
  const startedAt = performance.now();
  const files = [...changes.keys()];
  const what = files.length > 0 ? ` (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''})` : '';
  log(`codegen${what} ...`);
  const { ok, output } = await runCodegen();
  const ms = Math.round(performance.now() - startedAt);
  if (ok) {
    log(
      green(
        `codegen ok in ${ms} ms: apps/api/src/__generated__ and packages/sdk/src/__generated__ are fresh`,
      ),
    );
  } else {
    const rule = red('─'.repeat(100));
    console.error(
      `\n${rule}\n${red('[dev] codegen failed')}${what}; the servers keep running on the last good code.\n`,
    );
    console.error(explainFailure(output));
    console.error(
      `\n${red('[dev] fix it and save: codegen runs again.')} Full codegen output: pnpm codegen\n${rule}\n`,
    );
  }
  codegenRunning = false;
  if (pendingChanges.size > 0) schedule();
}

function schedule() {
  clearTimeout(debounceTimer);
  debounceTimer = setTimeout(() => {
    if (codegenRunning) return; // regenerate() picks pending changes up when it finishes.
    const changes = pendingChanges;
    pendingChanges = new Map();
    void regenerate(changes);
  }, DEBOUNCE_MS);
}

// --- long-running children ------------------------------------------------------------------------

/** A workspace package's `dev` script, or null when the package or script is missing. */
function devScript(dir) {
  const manifest = join(ROOT, dir, 'package.json');
  if (!existsSync(manifest)) return null;
  return JSON.parse(readFileSync(manifest, 'utf8')).scripts?.dev ?? null;
}

const children = new Map(); // label -> { process, command, dir }
let stopping = false;

/**
 * Starts a package script the way `pnpm run` would (its node_modules/.bin and the root's on PATH), in
 * its own process group so a signal reaches the whole tree (shell, tsx watch and the server).
 */
function startChild(label, dir, command) {
  const bins = [join(ROOT, dir, 'node_modules', '.bin'), join(ROOT, 'node_modules', '.bin')];
  const child = spawn(command, {
    cwd: join(ROOT, dir),
    shell: true,
    // No stdin: a child in its own process group reading the terminal would be stopped (SIGTTIN).
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: !isWindows,
    env: { ...process.env, PATH: [...bins, process.env.PATH].join(delimiter) },
  });
  const entry = {
    process: child,
    command,
    dir,
    exited: new Promise((resolve) => child.once('exit', resolve)),
  };
  children.set(label, entry);
  log(`${label}: ${command} ${dim(`(in ${dir}, pid ${child.pid})`)}`);
  child.on('exit', (code, signal) => {
    if (children.get(label) !== entry) return; // replaced by a restart
    children.delete(label);
    if (stopping) return;
    log(red(`${label} exited (${signal ?? `code ${code}`}); stopping the others.`));
    void stopAll(code ?? 1);
  });
  return entry;
}

function signalChild(entry, signal) {
  try {
    if (isWindows) entry.process.kill(signal);
    else process.kill(-entry.process.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopChild(entry, signal = 'SIGTERM') {
  signalChild(entry, signal);
  const timer = setTimeout(() => signalChild(entry, 'SIGKILL'), STOP_TIMEOUT_MS);
  await entry.exited;
  clearTimeout(timer);
}

let watcher = null;
async function stopAll(exitCode, signal = 'SIGTERM') {
  if (stopping) return;
  stopping = true;
  clearTimeout(debounceTimer);
  await watcher?.close();
  await Promise.all([...children.values()].map((entry) => stopChild(entry, signal)));
  process.exit(exitCode);
}

// If this process dies unexpectedly, do not leave servers running in their own process groups.
process.on('exit', () => {
  for (const entry of children.values()) signalChild(entry, 'SIGTERM');
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) {
      // A second Ctrl+C: do not wait for graceful shutdowns.
      for (const entry of children.values()) signalChild(entry, 'SIGKILL');
      process.exit(130);
    }
    log(`${signal}: stopping ${[...children.keys()].join(', ') || 'the watcher'} ...`);
    void stopAll(0, signal);
  });
}

// --- start ----------------------------------------------------------------------------------------

await regenerate(new Map());

if (!flags['no-api']) {
  const command = devScript('apps/api');
  if (!command) {
    console.error('[dev] apps/api/package.json has no dev script.');
    process.exit(1);
  }
  startChild('api', 'apps/api', command);
}
if (!flags['no-web']) {
  const command = devScript('apps/web');
  if (command) startChild('web', 'apps/web', command);
}

watcher = watch(
  WATCHED.map(({ dir }) => join(ROOT, dir)),
  {
    ignoreInitial: true,
    // chokidar (since 4) has no globs: watch the folders, keep only .graphql files.
    ignored: (path, stats) =>
      path.includes('node_modules') || (stats?.isFile() === true && !path.endsWith('.graphql')),
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 20 },
  },
);
watcher.on('all', (event, path) => {
  if (!['add', 'change', 'unlink'].includes(event) || !path.endsWith('.graphql')) return;
  const file = relative(ROOT, path);
  const kind = WATCHED.find(({ dir }) => file.startsWith(dir))?.kind ?? 'schema';
  pendingChanges.set(file, kind);
  schedule();
});
watcher.on('error', (error) => log(red(`watcher error: ${error}`)));
watcher.on('ready', () =>
  log(`watching ${WATCHED.map(({ dir }) => `${dir}/**/*.graphql`).join(' and ')} ${dim('(Ctrl+C to stop)')}`),
);

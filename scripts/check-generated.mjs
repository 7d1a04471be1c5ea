#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// Fails when generated code is stale or missing: runs codegen and compares every file under a
// __generated__/ folder before and after. In CI it also fails when a generated file differs from the
// committed one, so a clean clone always builds from fresh generated code.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED_DIRS = ['apps/api/src/__generated__', 'packages/sdk/src/__generated__'];

function snapshot() {
  const files = new Map();
  for (const dir of GENERATED_DIRS) {
    const absolute = join(ROOT, dir);
    if (!existsSync(absolute)) continue;
    for (const name of readdirSync(absolute)) {
      const path = join(absolute, name);
      files.set(relative(ROOT, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  }
  return files;
}

const before = snapshot();
// The installed bin shim, not `pnpm exec`: the check runs with only Node and npm (`npm run codegen:check`).
const CODEGEN_BIN = join(
  ROOT,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'graphql-codegen.cmd' : 'graphql-codegen',
);
const codegen = spawnSync(CODEGEN_BIN, ['--config', 'codegen.yml', '--silent'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (codegen.status !== 0) {
  console.error('[codegen:check] codegen failed: fix the SDL or the operations above.');
  process.exit(1);
}
const after = snapshot();

const problems = [];
for (const [file, hash] of after) {
  if (!before.has(file)) problems.push(`${file}: was missing`);
  else if (before.get(file) !== hash) problems.push(`${file}: was stale`);
}
for (const file of before.keys()) if (!after.has(file)) problems.push(`${file}: is no longer generated`);

// In CI the checkout must already hold the fresh files; locally, uncommitted fresh output is fine.
const git = process.env.CI
  ? spawnSync('git', ['status', '--porcelain', '--', ...GENERATED_DIRS], { cwd: ROOT, encoding: 'utf8' })
  : null;
if (git?.status === 0 && git.stdout.trim() !== '') {
  problems.push(`generated files differ from the committed ones:\n${git.stdout.trimEnd()}`);
}

if (problems.length > 0) {
  console.error('[codegen:check] generated code is not fresh:');
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error('[codegen:check] run `pnpm codegen` and commit the result.');
  process.exit(1);
}
console.log('[codegen:check] generated code is fresh.');

#!/usr/bin/env node
// `node scripts/pnpm.mjs <args>`: pnpm for the root scripts that need it (`npm run build`,
// `npm run typecheck`, `npm run bench`), so they work with only Node and npm on the machine.
import { spawnSync } from 'node:child_process';
import { pnpmCommand, ROOT } from './lib/pnpm.mjs';

const [command, ...prefix] = pnpmCommand();
const result = spawnSync(command, [...prefix, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);

// `npm run deps:outdated`: asks the registry what is newer (`pnpm outdated -r`) and fails unless every
// package behind its newest release is explained in the README's "Held-back dependencies" table, for the
// newest release line that exists today. A release line newer than the one a row was written for is
// unexplained again: somebody has to look at it. Not part of `npm test` or CI, because its answer changes
// whenever a package is released (scripts/test/held-back.test.ts tests this logic on a recorded answer).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpmCommand, ROOT } from './lib/pnpm.mjs';

const SECTION = '## Held-back dependencies';

/**
 * The README table's rows: `| package | held at | newest reviewed | why |`, package and versions in
 * backticks. Returns a map from package name to its row.
 */
export function heldBack(readme) {
  const start = readme.indexOf(SECTION);
  if (start < 0) return new Map();
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const rows = new Map();
  for (const line of readme.slice(start, end < 0 ? undefined : end).split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const [, name, heldAt, reviewed, why] = cells.map((cell) => cell.replace(/^`|`$/g, ''));
    if (!line.startsWith('| `') || !name || !reviewed || !why) continue;
    rows.set(name, { name, heldAt, reviewed, why });
  }
  return rows;
}

/** The release line a version belongs to: its major, or major.minor below 1.0 (where minors break). */
export function releaseLine(version) {
  const [major = '0', minor = '0'] = version.replace(/^[^\d]*/, '').split('.');
  return major === '0' ? `0.${minor}` : major;
}

/** pnpm's JSON answer, after any warning lines it prints before the object. */
export function parseOutdated(stdout) {
  const start = stdout.indexOf('{');
  return start < 0 ? {} : JSON.parse(stdout.slice(start));
}

/** The outdated packages the table does not explain for their newest release line. */
export function unexplained(outdated, rows) {
  return Object.entries(outdated)
    .map(([name, entry]) => ({ name, current: entry.current, latest: entry.latest, row: rows.get(name) }))
    .filter(({ latest, row }) => !row || releaseLine(row.reviewed) !== releaseLine(latest))
    .map(({ name, current, latest, row }) => ({
      name,
      current,
      latest,
      reason: row ? `the README reviewed ${row.reviewed}; ${latest} is newer` : 'not in the README table',
    }));
}

function main() {
  const [command, ...args] = pnpmCommand();
  const result = spawnSync(command, [...args, 'outdated', '-r', '--format', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // pnpm outdated exits 1 when anything is outdated: only a missing answer is an error.
  if (result.error || (result.status !== 0 && !result.stdout.includes('{'))) {
    console.error(result.stderr || String(result.error));
    process.exit(2);
  }
  const outdated = parseOutdated(result.stdout);
  const missing = unexplained(outdated, heldBack(readFileSync(join(ROOT, 'README.md'), 'utf8')));
  for (const { name, current, latest, reason } of missing)
    console.log(`${name} ${current} -> ${latest}: ${reason}`);
  const behind = Object.keys(outdated).length;
  if (missing.length > 0) {
    console.log(`${missing.length} of ${behind} outdated packages are not explained under "${SECTION}"`);
    process.exit(1);
  }
  console.log(`${behind} packages are behind their newest release, each explained under "${SECTION}"`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();

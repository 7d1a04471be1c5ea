// The README's "Held-back dependencies" table is the answer to `pnpm outdated -r`: each row names a
// package the workspace really depends on, at the version really installed, so the table cannot go stale
// when a package is upgraded or dropped. The check behind `npm run deps:outdated` is tested here on a
// recorded registry answer (the live answer changes whenever a package is released).
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the repository's scripts, without type declarations
import { heldBack, parseOutdated, releaseLine, unexplained } from '../outdated.mjs';

interface Row {
  name: string;
  heldAt: string;
  reviewed: string;
  why: string;
}

const ROOT = realpathSync(fileURLToPath(new URL('../..', import.meta.url)));
const rows: Map<string, Row> = heldBack(readFileSync(join(ROOT, 'README.md'), 'utf8'));

/** Every workspace package folder: the root, apps/* and packages/*. */
function workspaceDirs(): string[] {
  const nested = ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(ROOT, group, name))
      .filter((dir) => existsSync(join(dir, 'package.json'))),
  );
  return [ROOT, ...nested];
}

/** The versions of `name` installed for the workspace packages that depend on it. */
function installedVersions(name: string): string[] {
  const versions: string[] = [];
  for (const dir of workspaceDirs()) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const declared = { ...manifest.dependencies, ...manifest.devDependencies };
    if (!(name in declared)) continue;
    const installed = join(dir, 'node_modules', name, 'package.json');
    versions.push(JSON.parse(readFileSync(installed, 'utf8')).version);
  }
  return versions;
}

/** Whether version a is above version b (numeric parts; a trailing `x` counts as 0). */
function newer(a: string, b: string): boolean {
  const parts = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++)
    if ((left[i] ?? 0) !== (right[i] ?? 0)) return (left[i] ?? 0) > (right[i] ?? 0);
  return false;
}

describe('README: held-back dependencies', () => {
  it('has rows, each with a reason', () => {
    expect(rows.size).toBeGreaterThan(0);
    for (const row of rows.values()) expect(row.why.length, row.name).toBeGreaterThan(10);
  });

  it.each([...rows.values()])(
    '$name: a dependency of the workspace, installed at the version the row holds',
    (row) => {
      const versions = installedVersions(row.name);
      expect(versions, `${row.name} is in the table but no workspace package depends on it`).not.toEqual([]);
      // `20.19.x` holds a release line's patches; otherwise the row names the exact installed version.
      const held = row.heldAt.endsWith('.x')
        ? new RegExp(`^${row.heldAt.slice(0, -1).replace(/\./g, '\\.')}`)
        : null;
      for (const version of versions) {
        if (held) expect(version).toMatch(held);
        else expect(version).toBe(row.heldAt);
      }
      expect(
        newer(row.reviewed, row.heldAt),
        `${row.name}: the reviewed release is not newer than the held one`,
      ).toBe(true);
    },
  );
});

describe('deps:outdated check', () => {
  // What `pnpm outdated -r --format json` printed, warning line included, reduced to three packages.
  const recorded = `${readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'support', 'outdated-answer.txt'), 'utf8')}`;
  const table = heldBack(
    [
      '## Held-back dependencies',
      '| package | held at | newest reviewed | why |',
      '| --- | --- | --- | --- |',
      '| `graphql` | `16.15.0` | `17.1.0` | 17 needs Node 22 or newer |',
      '| `@electric-sql/pglite` | `0.5.14` | `0.4.2` | an older review, of the 0.4 line |',
      '## Next section',
      '| `vitest` | `4.1.12` | `5.1.2` | outside the section: not a row |',
    ].join('\n'),
  );

  it('reads the table and the answer behind pnpm warnings', () => {
    expect([...table.keys()]).toEqual(['graphql', '@electric-sql/pglite']);
    expect(Object.keys(parseOutdated(recorded))).toEqual(['graphql', 'vitest', '@electric-sql/pglite']);
  });

  it('names what the table does not explain for the newest release line, and nothing else', () => {
    expect(unexplained(parseOutdated(recorded), table)).toEqual([
      { name: 'vitest', current: '4.1.12', latest: '5.1.2', reason: 'not in the README table' },
      {
        name: '@electric-sql/pglite',
        current: '0.5.14',
        latest: '0.5.17',
        reason: 'the README reviewed 0.4.2; 0.5.17 is newer',
      },
    ]);
  });

  it('counts minors below 1.0 as release lines', () => {
    expect(releaseLine('0.5.17')).toBe('0.5');
    expect(releaseLine('17.1.0')).toBe('17');
    expect(releaseLine('^20.19.43')).toBe('20');
  });
});

// The SDL-to-code loop, proven on a copy of the repository: a root field added to the SDL without a
// resolver is a type error that names the field, and implementing it makes that error go away.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = realpathSync(fileURLToPath(new URL('../..', import.meta.url)));
const WORKSPACE_PACKAGES = ['apps/api', 'packages/sdk'];
// A name that sorts early: TypeScript lists only the first few missing properties of a type.
const FIELD = 'apiVersion';

let dir: string;

/**
 * node_modules of a copied package: a real folder whose entries link to the original's, except the
 * workspace packages, which link to their copies (so the SDK import sees the copied, regenerated SDK).
 */
function linkNodeModules(pkg: string) {
  const from = join(ROOT, pkg, 'node_modules');
  const to = join(dir, pkg, 'node_modules');
  mkdirSync(to, { recursive: true });
  const workspaceTarget = (entry: string) => {
    const real = realpathSync(entry);
    const inside = WORKSPACE_PACKAGES.find((candidate) => real === join(ROOT, candidate));
    return inside ? join(dir, inside) : real;
  };
  for (const name of readdirSync(from)) {
    const entry = join(from, name);
    if (name.startsWith('@')) {
      mkdirSync(join(to, name));
      for (const scoped of readdirSync(entry)) {
        symlinkSync(workspaceTarget(join(entry, scoped)), join(to, name, scoped));
      }
    } else {
      symlinkSync(realpathSync(entry), join(to, name));
    }
  }
}

function run(command: string, args: string[]) {
  const result = spawnSync(join(dir, 'node_modules', '.bin', command), args, { cwd: dir, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const codegen = () => run('graphql-codegen', ['--config', 'codegen.yml', '--silent']);
const typecheck = () => run('tsc', ['-p', 'apps/api/tsconfig.json', '--noEmit']);
const errorsAbout = (output: string, word: string) =>
  output.split('\n').filter((line) => line.includes('error TS') && line.includes(word));

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'schema-loop-')));
  for (const file of ['codegen.yml', 'tsconfig.base.json', 'package.json'])
    cpSync(join(ROOT, file), join(dir, file));
  cpSync(join(ROOT, 'schema'), join(dir, 'schema'), { recursive: true });
  // The codegen preset that lays the resolver map and the stubs.
  for (const scripts of ['scripts/codegen', 'scripts/lib'])
    cpSync(join(ROOT, scripts), join(dir, scripts), { recursive: true });
  for (const pkg of WORKSPACE_PACKAGES) {
    cpSync(join(ROOT, pkg), join(dir, pkg), {
      recursive: true,
      filter: (source) => !relative(join(ROOT, pkg), source).split(/[\\/]/).includes('node_modules'),
    });
    linkNodeModules(pkg);
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
});

afterAll(() => {
  if (dir && !process.env.KEEP_TEMP) rmSync(dir, { recursive: true, force: true });
});

describe('schema loop: edit the SDL, run codegen, write the body', () => {
  const stubFile = () => join(dir, 'apps/api/src/modules/users/resolvers/Query', `${FIELD}.ts`);

  it('starts from a copy that generates and has no error about the new field', () => {
    expect(codegen()).toMatchObject({ status: 0 });
    expect(errorsAbout(typecheck().output, FIELD)).toEqual([]);
    expect(existsSync(stubFile())).toBe(false);
  });

  it('a root field added to schema/users/ gets a stub in modules/users/, wired into the map; tsc names only the stub', () => {
    writeFileSync(
      join(dir, 'schema', 'users', 'api-version.graphql'),
      `extend type Query {\n  "Version of the API."\n  ${FIELD}: String! @public\n}\n`,
    );
    const generated = codegen();
    expect(generated, generated.output).toMatchObject({ status: 0 });
    // The stub lives where the SDL folder says, and the generated map imports it: nothing to wire by hand.
    const stub = readFileSync(stubFile(), 'utf8');
    console.log(`[schema-loop] codegen wrote ${relative(dir, stubFile())}:\n${stub}`);
    expect(stub).toContain(
      `export const ${FIELD}: QueryResolvers['${FIELD}'] = notImplemented('Query.${FIELD}');`,
    );
    expect(readFileSync(join(dir, 'apps/api/src/__generated__/resolvers.generated.ts'), 'utf8')).toContain(
      `import { ${FIELD} as Query_${FIELD} } from '../modules/users/resolvers/Query/${FIELD}.js';`,
    );
    expect(readFileSync(join(dir, 'apps/api/src/__generated__/type-defs.generated.ts'), 'utf8')).toContain(
      '// users/api-version.graphql',
    );

    const { status, output } = typecheck();
    expect(status).not.toBe(0);
    const errors = output.split('\n').filter((line) => line.includes('error TS'));
    console.log(`[schema-loop] tsc says:\n${errors.join('\n')}`);
    // One error, on the stub's line: the body is all that is left to write.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^apps/api/src/modules/users/resolvers/Query/${FIELD}\\.ts\\(\\d+,\\d+\\): error TS2322: `),
    );
  });

  it('writing the body makes the error go away, and codegen never overwrites it', () => {
    writeFileSync(
      stubFile(),
      [
        "import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';",
        '',
        `export const ${FIELD}: QueryResolvers['${FIELD}'] = () => '1.0.0';`,
        '',
      ].join('\n'),
    );
    expect(codegen()).toMatchObject({ status: 0 });
    expect(readFileSync(stubFile(), 'utf8')).toContain("() => '1.0.0'");
    const { status, output } = typecheck();
    expect(output.split('\n').filter((line) => line.includes('error TS'))).toEqual([]);
    expect(status).toBe(0);
  });
}, 180_000);

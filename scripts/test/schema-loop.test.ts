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

describe('schema loop: edit SDL, regenerate, the type checker names the missing resolver', () => {
  it('starts from a copy that generates and has no error about the new field', () => {
    expect(codegen()).toMatchObject({ status: 0 });
    expect(errorsAbout(typecheck().output, FIELD)).toEqual([]);
  });

  it('adding a root Query field without a resolver fails tsc with an error naming it', () => {
    mkdirSync(join(dir, 'schema', 'meta'), { recursive: true });
    // Access directives are declared in schema/base when the repository has them; use one if so.
    const sdl = readdirSync(join(dir, 'schema', 'base')).some((file) => file.startsWith('directives'))
      ? ' @public'
      : '';
    writeFileSync(
      join(dir, 'schema', 'meta', 'api-version.graphql'),
      `extend type Query {\n  "Version of the API."\n  ${FIELD}: String!${sdl}\n}\n`,
    );
    const generated = codegen();
    expect(generated, generated.output).toMatchObject({ status: 0 });
    expect(
      readFileSync(join(dir, 'apps/api/src/__generated__/resolvers-types.generated.ts'), 'utf8'),
    ).toMatch(new RegExp(`  ${FIELD}: Resolver<`)); // in QueryResolvers, required (avoidOptionals.query)

    const { status, output } = typecheck();
    expect(status).not.toBe(0);
    const errors = errorsAbout(output, FIELD);
    console.log(`[schema-loop] tsc says:\n${errors.join('\n')}`);
    expect(errors).toHaveLength(1);
    // e.g. src/graphql/resolvers.ts(31,3): error TS2741: Property 'apiVersion' is missing in type '{ me: ...; }'
    //      but required in type 'QueryResolvers<GraphQLContext, Record<PropertyKey, never>>'.
    expect(errors[0]).toMatch(/^apps\/api\/src\/graphql\/resolvers\.ts\(\d+,\d+\): error TS27\d\d: /);
    expect(errors[0]).toContain('QueryResolvers');
  });

  it('implementing the resolver and adding it to the resolver map makes the error go away', () => {
    const resolverDir = join(dir, 'apps/api/src/modules/meta/resolvers/Query');
    mkdirSync(resolverDir, { recursive: true });
    writeFileSync(
      join(resolverDir, `${FIELD}.ts`),
      [
        "import type { QueryResolvers } from '../../../../__generated__/resolvers-types.generated.js';",
        '',
        `export const ${FIELD}: QueryResolvers['${FIELD}'] = () => '1.0.0';`,
        '',
      ].join('\n'),
    );
    const mapFile = join(dir, 'apps/api/src/graphql/resolvers.ts');
    const map = readFileSync(mapFile, 'utf8');
    expect(map).toMatch(/Query: \{/);
    writeFileSync(
      mapFile,
      `import { ${FIELD} } from '../modules/meta/resolvers/Query/${FIELD}.js';\n${map.replace(
        /Query: \{/,
        `Query: { ${FIELD},`,
      )}`,
    );
    const { output } = typecheck();
    expect(errorsAbout(output, FIELD)).toEqual([]);
    expect(existsSync(join(dir, 'apps/api/src/modules/meta/resolvers/Query', `${FIELD}.ts`))).toBe(true);
  });
}, 180_000);

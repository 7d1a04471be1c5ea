import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildSchemaFromSdl,
  compareSchemas,
  inspectSchema,
  loadCurrentSchema,
  printSnapshot,
} from '../schema-check.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'schema-check.mjs');

const RELEASED = `
directive @public on FIELD_DEFINITION
type Query {
  me: User @public
  users(first: Int, filter: String): [User!]! @public
}
type User {
  id: ID!
  email: String!
  name: String
}
`;

function changes(next: string) {
  return compareSchemas(buildSchemaFromSdl(RELEASED), buildSchemaFromSdl(next));
}

describe('schema:check compares with graphql findBreakingChanges', () => {
  it('reports a removed field as breaking', () => {
    const { breaking } = changes(RELEASED.replace('  name: String\n', ''));
    expect(breaking).toEqual([{ type: 'FIELD_REMOVED', description: 'User.name was removed.' }]);
  });

  it('reports an argument made required as breaking', () => {
    const { breaking } = changes(RELEASED.replace('first: Int,', 'first: Int!,'));
    expect(breaking).toEqual([
      { type: 'ARG_CHANGED_KIND', description: 'Query.users arg first has changed type from Int to Int!.' },
    ]);
  });

  it('reports a new required argument and a removed directive declaration as breaking', () => {
    const sdl = RELEASED.replace('filter: String)', 'filter: String, status: String!)')
      .replace('directive @public on FIELD_DEFINITION', '')
      .replaceAll(' @public', '');
    const types = changes(sdl).breaking.map((change) => change.type);
    expect(types).toEqual(expect.arrayContaining(['REQUIRED_ARG_ADDED', 'DIRECTIVE_REMOVED']));
  });

  it('does not report an added optional field (but notices the SDL moved on)', () => {
    const result = changes(RELEASED.replace('  name: String\n', '  name: String\n  nickname: String\n'));
    expect(result.breaking).toEqual([]);
    expect(result.dangerous).toEqual([]);
    expect(result.changed).toBe(true);
  });

  it('reports an added optional argument as dangerous only', () => {
    const result = changes(RELEASED.replace('filter: String)', 'filter: String, after: String)'));
    expect(result.breaking).toEqual([]);
    expect(result.dangerous.map((change) => change.type)).toEqual(['OPTIONAL_ARG_ADDED']);
  });

  it('snapshots the repository schema without losing anything, directive declarations included', () => {
    const current = loadCurrentSchema(join(ROOT, 'schema'));
    const snapshot = printSnapshot(current);
    const roundTrip = compareSchemas(buildSchemaFromSdl(snapshot), current);
    expect(roundTrip).toEqual({ breaking: [], dangerous: [], access: [], changed: false });
    for (const directive of current.getDirectives().filter((d) => d.astNode)) {
      expect(snapshot).toContain(`directive @${directive.name}`);
    }
    // Applied access directives are recorded, so the snapshot knows who may call what.
    expect(snapshot).toMatch(/\n {2}\): UserNodeConnection!? @staff\n/);
  });

  it('reports a field whose access directive changed, loosened or tightened', () => {
    const released = buildSchemaFromSdl(
      printSnapshot(buildSchemaFromSdl(`directive @staff on FIELD_DEFINITION\n${RELEASED}`)),
    );
    const loosened = `directive @staff on FIELD_DEFINITION\n${RELEASED}`;
    expect(compareSchemas(released, buildSchemaFromSdl(loosened)).access).toEqual([]);
    const tightened = loosened.replace('[User!]! @public', '[User!]! @staff');
    expect(compareSchemas(released, buildSchemaFromSdl(tightened)).access).toEqual([
      { type: 'FIELD_ACCESS_CHANGED', description: 'Query.users changed from @public to @staff.' },
    ]);
    const dropped = loosened.replace('me: User @public', 'me: User');
    expect(compareSchemas(released, buildSchemaFromSdl(dropped)).access).toEqual([
      { type: 'FIELD_ACCESS_CHANGED', description: 'Query.me changed from @public to no directive.' },
    ]);
  });

  it('skips the access comparison against a snapshot that records no applied directives', () => {
    const old = buildSchemaFromSdl(RELEASED.replaceAll(' @public\n', '\n'));
    expect(compareSchemas(old, buildSchemaFromSdl(RELEASED)).access).toBeNull();
  });

  it('points invalid SDL at its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-check-invalid-'));
    try {
      writeFileSync(join(dir, 'root.graphql'), 'type Query {\n  a: String\n}\n');
      writeFileSync(join(dir, 'broken.graphql'), 'extend type Query {\n  b: NoSuchType\n}\n');
      const { schema, problems } = inspectSchema(dir);
      expect(schema).toBeNull();
      expect(problems.join('\n')).toMatch(/Unknown type "NoSuchType"[\s\S]*broken\.graphql:2:6/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('schema:check CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schema-check-cli-'));
  const schemaDir = join(dir, 'schema');
  const snapshot = join(dir, 'schema.graphql');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const result = spawnSync(
      process.execPath,
      [SCRIPT, '--schema', schemaDir, '--snapshot', snapshot, ...args],
      { encoding: 'utf8' },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const writeSdl = (sdl: string) => {
    mkdirSync(join(schemaDir, 'base'), { recursive: true });
    // Split like the real schema/: declarations in base/, root type extended by a feature folder.
    writeFileSync(
      join(schemaDir, 'base', 'root.graphql'),
      sdl.replace(/type Query \{[\s\S]*?\n\}\n/, 'type Query\n'),
    );
    mkdirSync(join(schemaDir, 'users'), { recursive: true });
    writeFileSync(
      join(schemaDir, 'users', 'query.graphql'),
      /type Query \{[\s\S]*?\n\}\n/.exec(sdl)![0].replace('type', 'extend type'),
    );
  };

  it('asks for a snapshot when there is none', () => {
    writeSdl(RELEASED);
    expect(run()).toMatchObject({ status: 1, output: expect.stringContaining('schema:snapshot') });
  });

  it('--update writes a sorted snapshot with the directive declarations, then the check passes', () => {
    expect(run('--update').status).toBe(0);
    const text = readFileSync(snapshot, 'utf8');
    expect(text).toContain('directive @public on FIELD_DEFINITION');
    expect(text.indexOf('type Query')).toBeLessThan(text.indexOf('type User'));
    expect(run()).toMatchObject({ status: 0, output: expect.stringContaining('matches') });
  });

  it('passes an added optional field, fails a removed field and names it', () => {
    writeSdl(RELEASED.replace('  name: String\n', '  name: String\n  nickname: String\n'));
    expect(run()).toMatchObject({ status: 0, output: expect.stringContaining('no breaking changes') });

    writeSdl(RELEASED.replace('  me: User @public\n', ''));
    const removed = run();
    expect(removed.status).toBe(1);
    expect(removed.output).toContain('FIELD_REMOVED: Query.me was removed.');
    expect(removed.output).toContain('1 breaking change(s)');
  });

  it('fails a changed access directive until the snapshot is refreshed', () => {
    const staffOnly = `directive @staff on FIELD_DEFINITION\n${RELEASED}`;
    writeSdl(staffOnly);
    expect(run('--update').status).toBe(0);
    expect(readFileSync(snapshot, 'utf8')).toContain('me: User @public');
    writeSdl(staffOnly.replace('[User!]! @public', '[User!]! @staff'));
    const result = run();
    expect(result.status).toBe(1);
    expect(result.output).toContain('FIELD_ACCESS_CHANGED: Query.users changed from @public to @staff.');
    expect(result.output).toContain('pnpm schema:snapshot');
    expect(run('--update').status).toBe(0);
    expect(run()).toMatchObject({ status: 0, output: expect.stringContaining('matches') });
    writeSdl(RELEASED);
    expect(run('--update').status).toBe(0);
  });

  it('fails an argument made required', () => {
    writeSdl(RELEASED.replace('first: Int,', 'first: Int!,'));
    const result = run();
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'ARG_CHANGED_KIND: Query.users arg first has changed type from Int to Int!.',
    );
  });
});

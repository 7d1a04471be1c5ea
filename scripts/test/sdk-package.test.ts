// The SDK as a front end in another repository gets it: `npm pack` in packages/sdk (prepack builds
// ESM + .d.ts into dist/), `npm install <tarball>` in a project under the OS temp folder (outside this
// workspace, no workspace links, no source condition), then that project's own `tsc` type-checks a
// consumer of `@gql-auth/sdk` and `@gql-auth/sdk/react`, and node runs it against a real API started by
// the test kit (PostgreSQL, Redis).
import { spawn, spawnSync } from 'node:child_process';
import {
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
import { createTestInstance, type TestInstance } from '../../apps/api/test/support/test-instance.js';

const ROOT = realpathSync(fileURLToPath(new URL('../..', import.meta.url)));
const SDK_DIR = join(ROOT, 'packages', 'sdk');
const sdk = JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8'));
const temp = realpathSync(mkdtempSync(join(tmpdir(), 'sdk-package-')));
const project = join(temp, 'consumer');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && !key.startsWith('VITEST')),
  );
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...clean, ...env },
    timeout: 240_000,
  });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}

/** Runs node without blocking this process: the API under test answers from this event loop. */
function runNode(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: project, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, output: stdout + stderr });
    });
  });
}

const CONSUMER = `
import { createClient, GraphQLRequestError, memoryStorage, MeDocument, type RegisterMutationVariables } from '${sdk.name}';

const url = process.env.API_URL + '/graphql';
const client = createClient({ url, storage: memoryStorage() });
const variables: RegisterMutationVariables = {
  email: 'packed@example.com',
  username: 'packed',
  password1: 'correct-Horse-42',
  password2: 'correct-Horse-42',
};
// @ts-expect-error the schema requires both passwords, and so do the SDK's types
const missing: RegisterMutationVariables = { email: 'a@example.com', username: 'a', password1: 'x' };
void missing;

const registered = await client.register(variables);
const signedIn = await client.tokenAuth({ username: 'packed', password: 'correct-Horse-42' });
const me = await client.request(MeDocument);
console.log(JSON.stringify({
  registered: registered.success,
  signedIn: signedIn.success,
  me: me.me?.username ?? null,
  session: (await client.getSession()) !== null,
  errorClass: typeof GraphQLRequestError,
}));
`;

const REACT_CONSUMER = `
import { createClient, memoryStorage, SessionsDocument } from '${sdk.name}';
import { AuthProvider, useMutation, useQuery, useSession } from '${sdk.name}/react';
import { LogoutDocument } from '${sdk.name}';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

function Status() {
  const { user } = useSession();
  const sessions = useQuery(SessionsDocument, undefined, { skip: true });
  const [logout] = useMutation(LogoutDocument);
  void logout;
  return createElement('p', null, user === undefined ? 'loading' : user ? user.username : 'signed out', ' ', String(sessions.loading));
}

const client = createClient({ url: process.env.API_URL + '/graphql', storage: memoryStorage() });
console.log(renderToString(createElement(AuthProvider, { client, children: createElement(Status) })));
`;

describe('the SDK installed from its npm tarball into a project outside the workspace', () => {
  let api: TestInstance;
  let tarball = '';

  beforeAll(async () => {
    const packed = run('npm', ['pack', '--pack-destination', temp], SDK_DIR);
    expect(packed.status, packed.output).toBe(0);
    tarball = join(temp, readdirSync(temp).find((name) => name.endsWith('.tgz')) ?? 'missing.tgz');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          skipLibCheck: false,
          types: ['node'],
          lib: ['ES2022', 'DOM'],
        },
        include: ['*.ts'],
      }),
    );
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(join(project, 'react-consumer.ts'), REACT_CONSUMER);
    const install = run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        tarball,
        'typescript@~5.9.3',
        '@types/node@^20.19.0',
        'react@^18.3.1',
        'react-dom@^18.3.1',
        '@types/react@^18.3.31',
        '@types/react-dom@^18.3.7',
      ],
      project,
    );
    expect(install.status, install.output).toBe(0);
    api = await createTestInstance('postgres+redis');
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    if (!process.env.KEEP_TEMP) rmSync(temp, { recursive: true, force: true });
  });

  it('the tarball holds the built ESM, the declarations and the exports map, and no workspace protocol', () => {
    const listing = run('tar', ['-tzf', tarball], temp).stdout.split('\n');
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/react/index.js', 'dist/react/index.d.ts']) {
      expect(listing).toContain(`package/${file}`);
    }
    const installed = JSON.parse(
      readFileSync(join(project, 'node_modules', ...sdk.name.split('/'), 'package.json'), 'utf8'),
    );
    expect(installed.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(JSON.stringify(installed.dependencies)).not.toMatch(/catalog:|workspace:/);
  });

  it("type-checks with the project's own tsc (NodeNext, strict, library types checked)", () => {
    const check = run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], project);
    expect(check.status, check.output).toBe(0);
  }, 120_000);

  it('runs against a real server: register, sign in, me', async () => {
    const result = await runNode('out/consumer.js', { API_URL: api.url });
    expect(result.status, result.output).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual({
      registered: true,
      signedIn: true,
      me: 'packed',
      session: true,
      errorClass: 'function',
    });
  });

  it('renders the React bindings (AuthProvider, useSession, useQuery, useMutation) from the package', async () => {
    const result = await runNode('out/react-consumer.js', { API_URL: api.url });
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('loading');
  });
});

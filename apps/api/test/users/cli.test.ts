import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const PASSWORD = 'Sturdy-Root-Pass-77';

/** Runs one `pnpm cli` command in-process with captured output and scripted stdin. */
async function runCli(config: Config, name: string, args: string[], stdin = '') {
  const input = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  input.end(stdin);
  const io: CommandIo = { config, args, stdin: input, stdout, stderr };
  const code = await commands[name]!.run(io);
  return { code, out, err };
}

describe('pnpm cli createsuperuser and users:list (postgres)', () => {
  let database: TestDatabase;
  let config: Config;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase('cli');
    config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
    });
    client = new pg.Client({ connectionString: database.url });
  });
  afterAll(async () => {
    await client?.end().catch(() => undefined);
    await database?.drop();
  });

  async function user(username: string) {
    const { rows } = await client.query(
      'select username, email, is_staff, is_superuser, verified, is_active from "user" where username = $1',
      [username],
    );
    return rows[0];
  }

  it('is registered beside the other commands', () => {
    expect(Object.keys(commands)).toEqual(expect.arrayContaining(['createsuperuser', 'users:list']));
  });

  it('creates a superuser from flags without prompting, and audits it', async () => {
    const result = await runCli(config, 'createsuperuser', [
      '--username',
      'root',
      '--email',
      'root@example.com',
      '--password',
      PASSWORD,
      '--no-input',
    ]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/Superuser "root" created \(pk \d+\)/);
    await client.connect();
    expect(await user('root')).toEqual({
      username: 'root',
      email: 'root@example.com',
      is_staff: true,
      is_superuser: true,
      verified: true,
      is_active: true,
    });
    const { rows } = await client.query(
      `select action, metadata from audit_log where action = 'cli.create_superuser'`,
    );
    expect(rows).toEqual([{ action: 'cli.create_superuser', metadata: { username: 'root' } }]);
  });

  it('reads the password from stdin with --password-stdin', async () => {
    const result = await runCli(
      config,
      'createsuperuser',
      ['--username', 'piped', '--email', 'piped@example.com', '--password-stdin', '--no-input'],
      `${PASSWORD}\n`,
    );
    expect(result.code).toBe(0);
    expect((await user('piped'))?.is_superuser).toBe(true);
  });

  it('falls back to SUPERUSER_* variables', async () => {
    const fromEnv = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
      SUPERUSER_USERNAME: 'envroot',
      SUPERUSER_EMAIL: 'envroot@example.com',
      SUPERUSER_PASSWORD: PASSWORD,
    });
    expect((await runCli(fromEnv, 'createsuperuser', ['--no-input'])).code).toBe(0);
    expect((await user('envroot'))?.is_staff).toBe(true);
  });

  it('applies the registration validators and uniqueness, reporting every problem', async () => {
    const result = await runCli(config, 'createsuperuser', [
      '--username',
      'ROOT',
      '--email',
      'not-an-email',
      '--password',
      '12345',
      '--no-input',
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('Error (username): A user with that username already exists.');
    expect(result.err).toContain('Error (email): Enter a valid value.');
    expect(result.err).toContain('This password is too short.');
    expect(result.err).toContain('This password is entirely numeric.');
    const missing = await runCli(config, 'createsuperuser', ['--username', 'x', '--no-input']);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('missing email, password') });
  });

  it('prompts for missing values interactively, re-asking after an invalid answer', async () => {
    // A taken username, then a valid one; an email; a too-short password, then a good one twice.
    const answers = ['root', 'asker', 'asker@example.com', 'short', 'Another-Sturdy-9', 'Another-Sturdy-9'];
    const result = await runCli(config, 'createsuperuser', [], `${answers.join('\n')}\n`);
    expect(result.out).toContain('Username: ');
    expect(result.out).toContain('Password (again): ');
    expect(result.err).toContain('A user with that username already exists.');
    expect(result.err).toContain('This password is too short.');
    expect(result.code).toBe(0);
    expect((await user('asker'))?.is_superuser).toBe(true);
    // The password never reaches the output.
    expect(result.out).not.toContain('Another-Sturdy-9');
  });

  it('lists users, with search and JSON output and never the password hash', async () => {
    const table = await runCli(config, 'users:list', []);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/PK\s+USERNAME\s+EMAIL\s+FLAGS/);
    expect(table.out).toMatch(/root\s+root@example\.com\s+superuser,staff,verified/);
    expect(table.out).toContain('4 of 4 user(s)');

    const json = await runCli(config, 'users:list', ['--search', 'ASK', '--json']);
    const listed = JSON.parse(json.out) as Array<Record<string, unknown>>;
    expect(listed.map((entry) => entry.username)).toEqual(['asker']);
    expect(json.out).not.toContain('passwordHash');
    expect(json.out).not.toContain('$2');

    expect((await runCli(config, 'users:list', ['--limit', '0'])).code).toBe(2);
  });
});

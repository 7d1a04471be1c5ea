import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.js';
import { type Config, loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { runImport } from './import-kit.js';
import { djangoVectors } from './vectors.js';

// Importer rules of the spec (§6.3-6.6) on small inline dumps; hashes made by Django (vectors.json).
const PBKDF2 = djangoVectors.vectors.find((v) => v.scheme === 'pbkdf2_sha256')!.encoded;
const MD5 = djangoVectors.vectors.find((v) => v.scheme === 'md5')!.encoded;

interface UserFields {
  username: string;
  email?: string;
  password?: string;
  is_active?: boolean;
  last_login?: string | null;
  groups?: unknown[];
  user_permissions?: unknown[];
  date_joined?: string;
}

function user(pk: number | null, fields: UserFields, model = 'users.extenduser') {
  return {
    model,
    ...(pk === null ? {} : { pk }),
    fields: {
      password: PBKDF2,
      last_login: null,
      is_superuser: false,
      first_name: 'F',
      last_name: 'L',
      is_staff: false,
      is_active: true,
      date_joined: '2019-05-06T07:08:09.123Z',
      email: `${fields.username.toLowerCase()}@example.com`,
      groups: [],
      user_permissions: [],
      ...fields,
    },
  };
}

function status(
  ref: number | string[],
  fields: { verified?: boolean; archived?: boolean; secondary_email?: string | null } = {},
) {
  return {
    model: 'graphql_auth.userstatus',
    pk: typeof ref === 'number' ? ref : 0,
    fields: { user: ref, verified: true, archived: false, secondary_email: null, ...fields },
  };
}

describe('import:django rules (postgres)', () => {
  let database: TestDatabase;
  let config: Config;
  let client: pg.Client;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase('django_import');
    config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'silent',
    });
    // Applies the migrations once (the command would too).
    const db = await openDatabase({
      databaseUrl: database.url,
      dataDir: '.',
      poolSize: 1,
      logger: createLogger('silent'),
    });
    await db.close();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    dir = await mkdtemp(join(tmpdir(), 'django-import-rules-'));
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await client.query(`truncate "user", "group", "django_import_user" restart identity cascade`);
    await client.query(
      `delete from "permission" where "codename" not like 'users.%' and "codename" not like 'tokens.%' and "codename" not like 'audit.%'`,
    );
    await client.query(`delete from "permission" where "codename" in ('users.export_users')`);
  });

  let files = 0;
  async function dumpFile(rows: unknown[], format: 'json' | 'jsonl' | 'gz' = 'json'): Promise<string> {
    const path = join(dir, `dump${++files}.${format === 'gz' ? 'json.gz' : format}`);
    const text =
      format === 'jsonl' ? rows.map((row) => JSON.stringify(row)).join('\n') : JSON.stringify(rows);
    await writeFile(path, format === 'gz' ? gzipSync(text) : text);
    return path;
  }
  async function importRows(rows: unknown[], args: string[] = []) {
    const path = await dumpFile(rows);
    const reportPath = `${path}.report.json`;
    const run = await runImport(config, [path, '--no-progress', '--report', reportPath, ...args]);
    const report = run.code === 0 || run.code === 3 ? JSON.parse(await readFile(reportPath, 'utf8')) : null;
    return { ...run, report };
  }
  const users = async () =>
    (await client.query(`select * from "user" order by "id"`)).rows as Array<Record<string, unknown>>;

  it('reads natural keys in any order: the status row and groups may come before the user and its permissions', async () => {
    const rows = [
      status(['carol'], { secondary_email: 'carol.work@example.org' }),
      {
        model: 'auth.group',
        pk: 1,
        fields: {
          name: 'editors',
          permissions: [
            ['change_extenduser', 'users', 'extenduser'],
            ['export_users', 'users', 'extenduser'],
            ['view_group', 'auth', 'group'],
          ],
        },
      },
      user(4, {
        username: 'carol',
        groups: [['editors']],
        user_permissions: [['view_extenduser', 'users', 'extenduser']],
      }),
      {
        model: 'refresh_token.refreshtoken',
        pk: 3,
        fields: { user: ['carol'], token: 'f'.repeat(40), created: '2020-01-01T00:00:00Z', revoked: null },
      },
      {
        model: 'sessions.session',
        pk: 'abc',
        fields: { session_data: 'x', expire_date: '2020-01-01T00:00:00Z' },
      },
    ];
    const { code, report } = await importRows(rows);
    expect(code).toBe(0);
    const [carol] = await users();
    expect(carol).toMatchObject({
      id: 4,
      username: 'carol',
      verified: true,
      secondary_email: 'carol.work@example.org',
      password_hash: PBKDF2,
    });
    expect((carol!.date_joined as Date).toISOString()).toBe('2019-05-06T07:08:09.123Z');
    const codenames = (
      await client.query(
        `select p."codename" from "group_permissions" gp join "permission" p on p."id" = gp."permission_id" order by 1`,
      )
    ).rows.map((r) => r.codename);
    expect(codenames).toEqual(['auth.view_group', 'users.change_user', 'users.export_users']);
    const direct = await client.query(
      `select p."codename" from "user_permissions" up join "permission" p on p."id" = up."permission_id"`,
    );
    expect(direct.rows).toEqual([{ codename: 'users.view_user' }]);
    expect(report.counts.skipped).toEqual({ 'refresh_token.refreshtoken': 1, 'sessions.session': 1 });
    expect(report.counts).toMatchObject({
      memberships: 1,
      directGrants: 1,
      permissions: { created: 2, reused: 2 },
    });
    // The next id continues after the kept pks.
    const next = await client.query(
      `insert into "user" ("username", "email", "date_joined") values ('n', 'n@x.org', now()) returning "id"`,
    );
    expect(next.rows[0].id).toBe(5);
  });

  it('reads integer references through permission and content-type rows, as JSON lines and gzipped', async () => {
    const rows = [
      user(1, { username: 'ann', groups: [7], user_permissions: [24] }),
      { model: 'auth.group', pk: 7, fields: { name: 'Staff', permissions: [24] } },
      {
        model: 'auth.permission',
        pk: 24,
        fields: { name: 'Can view user', content_type: 4, codename: 'view_extenduser' },
      },
      { model: 'contenttypes.contenttype', pk: 4, fields: { app_label: 'users', model: 'extenduser' } },
      status(1),
    ];
    for (const format of ['jsonl', 'gz'] as const) {
      await client.query(`truncate "user", "group", "django_import_user" restart identity cascade`);
      const run = await runImport(config, [await dumpFile(rows, format), '--no-progress']);
      expect(run.code, run.err).toBe(0);
      const grants = await client.query(
        `select p."codename" from "user_permissions" up join "permission" p on p."id" = up."permission_id"`,
      );
      expect(grants.rows).toEqual([{ codename: 'users.view_user' }]);
      expect((await client.query(`select "name" from "group"`)).rows).toEqual([{ name: 'Staff' }]);
    }
  });

  it('settles case-only duplicates by the winner rule and reports both sides', async () => {
    const rows = [
      user(1, { username: 'kim', last_login: '2024-01-01T00:00:00Z' }),
      user(2, { username: 'Kim', last_login: '2025-01-01T00:00:00Z' }),
      user(3, { username: 'KIM', is_active: false, last_login: '2026-01-01T00:00:00Z' }),
      user(4, { username: 'lee', email: 'lee@example.com' }),
      user(5, { username: 'lee_b', email: 'LEE@example.com' }),
      user(6, { username: 'mo', email: 'mo@example.com' }),
      user(7, { username: 'mo2', email: 'MO@example.com' }),
      status(1),
      status(2),
      status(3),
      status(4),
      status(5),
      status(6, { verified: false }),
      status(7),
    ];
    const { code, report } = await importRows(rows);
    expect(code).toBe(3);
    expect(report.rejected).toEqual([
      { djangoPk: 1, username: 'kim', reason: 'duplicate_username', keptPk: 2, keptUsername: 'Kim' },
      { djangoPk: 3, username: 'KIM', reason: 'duplicate_username', keptPk: 2, keptUsername: 'Kim' },
      {
        djangoPk: 5,
        username: 'lee_b',
        reason: 'duplicate_email',
        keptPk: 4,
        keptUsername: 'lee',
        email: 'LEE@example.com',
      },
      {
        djangoPk: 6,
        username: 'mo',
        reason: 'duplicate_email',
        keptPk: 7,
        keptUsername: 'mo2',
        email: 'mo@example.com',
      },
    ]);
    expect((await users()).map((u) => u.username)).toEqual(['Kim', 'lee', 'mo2']);
  });

  it('existing project users always win: username_taken, email_taken (also a secondary), id_taken', async () => {
    await client.query(
      `insert into "user" ("id", "username", "email", "secondary_email", "date_joined", "password_hash")
       values (10, 'Owner', 'owner@example.com', 'owner.alt@example.com', now(), 'x'), (3, 'three', 'three@example.com', null, now(), 'y')`,
    );
    const rows = [
      user(1, { username: 'owner' }),
      user(2, { username: 'other', email: 'OWNER.ALT@example.com' }),
      user(3, { username: 'pk-three' }),
      user(4, { username: 'fine' }),
    ];
    const { code, report } = await importRows(rows);
    expect(code).toBe(3);
    expect(report.rejected.map((r: { username: string; reason: string }) => [r.username, r.reason])).toEqual([
      ['owner', 'username_taken'],
      ['other', 'email_taken'],
      ['pk-three', 'id_taken'],
    ]);
    const rowsAfter = await users();
    expect(rowsAfter.find((u) => u.id === 10)).toMatchObject({ username: 'Owner', password_hash: 'x' });
    expect(rowsAfter.find((u) => u.id === 3)).toMatchObject({ username: 'three', password_hash: 'y' });
    // --ids new imports the pk-3 row under a fresh id instead.
    const fresh = await importRows([user(3, { username: 'pk-three' })], ['--ids', 'new']);
    expect(fresh.code).toBe(0);
    expect((await users()).find((u) => u.username === 'pk-three')!.id).not.toBe(3);
  });

  it('secondary emails lose to primaries, and between themselves by the winner rule; "" is NULL', async () => {
    const rows = [
      user(1, { username: 'a', email: 'a@example.com' }),
      user(2, { username: 'b', email: 'b@example.com' }),
      user(3, { username: 'c', email: 'c@example.com', last_login: '2025-01-01T00:00:00Z' }),
      user(4, { username: 'd', email: 'd@example.com' }),
      status(1, { secondary_email: 'B@example.com' }),
      status(2, { secondary_email: '' }),
      status(3, { secondary_email: 'shared@example.org' }),
      status(4, { secondary_email: 'SHARED@example.org' }),
    ];
    const { code, report } = await importRows(rows);
    expect(code).toBe(0);
    expect((await users()).map((u) => u.secondary_email)).toEqual([null, null, 'shared@example.org', null]);
    expect(report.warnings).toEqual([
      { djangoPk: 1, username: 'a', code: 'secondary_email_taken' },
      { djangoPk: 4, username: 'd', code: 'secondary_email_taken' },
    ]);
  });

  it('maps every password case of §6.4, honouring --hashers', async () => {
    const rows = [
      user(1, { username: 'p1' }),
      user(2, { username: 'p2', password: MD5 }),
      user(3, { username: 'p3', password: djangoVectors.refused.unusable! }),
      user(4, { username: 'p4', password: '' }),
      user(5, { username: 'p5', password: djangoVectors.refused.crypt! }),
      user(6, { username: 'p6', password: djangoVectors.refused.pbkdf2_bad_base64! }),
      user(7, { username: 'p7', password: djangoVectors.refused.argon2_memory_out_of_bounds! }),
      user(8, { username: 'p8', password: djangoVectors.refused.too_long! }),
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((pk) => status(pk)),
    ];
    const { code, report } = await importRows(rows, ['--hashers', 'pbkdf2_sha256,argon2']);
    expect(code).toBe(0);
    expect((await users()).map((u) => u.password_hash)).toEqual([
      PBKDF2,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(report.counts.passwords).toEqual({ pbkdf2_sha256: 1, argon2: 0, unusable: 2, nulled: 5 });
    expect(report.warnings).toEqual([
      { djangoPk: 2, username: 'p2', code: 'hasher_not_allowed', algorithm: 'md5' },
      { djangoPk: 5, username: 'p5', code: 'unsupported_hasher', algorithm: 'crypt' },
      { djangoPk: 6, username: 'p6', code: 'hash_malformed' },
      { djangoPk: 7, username: 'p7', code: 'hash_parameters_out_of_bounds' },
      { djangoPk: 8, username: 'p8', code: 'hash_too_long' },
    ]);
    expect(report.slowestHash).toMatchObject({ scheme: 'pbkdf2_sha256', params: 'i=260000' });
  });

  it('passwords:report counts users per stored scheme, native or left to upgrade', async () => {
    const rows = [
      user(1, { username: 'q1' }),
      user(2, { username: 'q2' }),
      user(3, { username: 'q3', password: MD5 }),
      user(4, { username: 'q4', password: '!' }),
    ];
    await importRows(rows);
    await client.query(`update "user" set "password_hash" = $1 where "id" = 2`, [
      djangoVectors.vectors.find((v) => v.encoded.startsWith('bcrypt_sha256$$2b$04$'))!.encoded,
    ]);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => {
      out += chunk;
    });
    const code = await commands['passwords:report']!.run({
      config,
      args: ['--json'],
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
    });
    expect(code).toBe(0);
    expect(JSON.parse(out).schemes).toEqual(
      expect.arrayContaining([
        { scheme: 'pbkdf2_sha256', cost: null, native: false, users: 1 },
        { scheme: 'bcrypt_sha256', cost: 4, native: true, users: 1 },
        { scheme: 'md5', cost: null, native: false, users: 1 },
        { scheme: 'none', cost: null, native: true, users: 1 },
      ]),
    );
    // Only the counts: no hash leaves the database.
    expect(out).not.toContain(PBKDF2.slice(-12));
  });

  it('validates fields: empty email and long usernames are rejected, odd ones warned; missing status', async () => {
    const rows = [
      user(1, { username: 'noemail', email: '' }),
      user(2, { username: 'x'.repeat(151) }),
      user(3, { username: 'local', email: 'admin@localhost' }),
      user(4, { username: 'has space' }),
    ];
    const { code, report } = await importRows(rows, ['--missing-status', 'verified']);
    expect(code).toBe(3);
    expect(report.rejected.map((r: { reason: string }) => r.reason)).toEqual([
      'email_required',
      'username_invalid',
    ]);
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        { djangoPk: 3, username: 'local', code: 'email_invalid_here' },
        { djangoPk: 4, username: 'has space', code: 'username_invalid_here' },
        { djangoPk: 3, username: 'local', code: 'missing_user_status' },
      ]),
    );
    expect((await users()).map((u) => u.verified)).toEqual([true, true]);
  });

  it('without pks (--natural-primary) it uses new ids and says so once', async () => {
    const { code, report } = await importRows([user(null, { username: 'np' }), status(['np'])]);
    expect(code).toBe(0);
    expect(report.ids).toBe('new');
    expect(report.warnings).toEqual([{ djangoPk: null, username: null, code: 'ids_new_no_pks' }]);
  });

  it('reads naive datetimes in --timezone', async () => {
    const rows = [user(1, { username: 'tz', date_joined: '2019-07-01T12:00:00' }), status(1)];
    expect((await importRows(rows, ['--timezone', 'Europe/Paris'])).code).toBe(0);
    expect(((await users())[0]!.date_joined as Date).toISOString()).toBe('2019-07-01T10:00:00.000Z');
  });

  it('--strict and --dry-run write nothing; the audit entry comes with a real run only', async () => {
    // The audit log is append-only (earlier tests' entries stay): count what this test adds.
    const audits = async () =>
      (
        await client.query(
          `select "actor_id", "metadata" from "audit_log" where "action" = 'cli.import_django' order by "id"`,
        )
      ).rows;
    const before = (await audits()).length;
    const rows = [user(1, { username: 'dup' }), user(2, { username: 'DUP' }), user(3, { username: 'ok' })];
    const strict = await importRows(rows, ['--strict']);
    expect(strict.code).toBe(3);
    expect(strict.report.counts.users.rejected).toBe(1);
    const dry = await importRows(rows, ['--dry-run']);
    expect(dry.code).toBe(3);
    expect(dry.report).toMatchObject({ dryRun: true, counts: { users: { created: 2 } } });
    expect(await users()).toEqual([]);
    expect(await audits()).toHaveLength(before);
    expect((await importRows(rows)).code).toBe(3);
    expect((await audits()).slice(before)).toEqual([
      {
        actor_id: null,
        metadata: expect.objectContaining({
          rejected: 1,
          warnings: 2,
          source: expect.stringMatching(/\.json$/),
        }),
      },
    ]);
  });

  it('re-runs: unchanged with skip; update overwrites a password only while it is still the imported one; deleted users come back', async () => {
    const rows = [
      user(1, { username: 'r1' }),
      user(2, { username: 'r2' }),
      user(3, { username: 'r3' }),
      status(1),
      status(2),
      status(3),
    ];
    expect((await importRows(rows)).code).toBe(0);
    // r1 signed in (rehashed); r2 did not; r3 was deleted in the project.
    await client.query(`update "user" set "password_hash" = '$2b$04$rehashed' where "id" = 1`);
    await client.query(`delete from "user" where "id" = 3`);
    const skip = await importRows(rows);
    expect(skip.report.counts.users).toMatchObject({ created: 1, unchanged: 2, updated: 0 });
    const changed = rows.map((row) =>
      'fields' in row && (row as { model: string }).model === 'users.extenduser'
        ? { ...row, fields: { ...row.fields, password: MD5, first_name: 'New' } }
        : row,
    );
    const update = await importRows(changed, ['--existing', 'update']);
    expect(update.report.counts.users).toMatchObject({ created: 0, updated: 3 });
    const after = await users();
    expect(after.map((u) => [u.id, u.first_name, u.password_hash])).toEqual([
      [1, 'New', '$2b$04$rehashed'],
      [2, 'New', MD5],
      [3, 'New', MD5],
    ]);
  });

  it('refuses bad input with a clear message and exit code', async () => {
    const malformed = join(dir, 'bad.json');
    await writeFile(malformed, '[{"model": "users.extenduser", "fields": {}}, {oops}]');
    const bad = await runImport(config, [malformed, '--no-progress']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/malformed JSON .*byte/);
    const bz2 = join(dir, 'dump.json.bz2');
    await writeFile(bz2, Buffer.from('BZh91AY&SY'));
    expect(await runImport(config, [bz2])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/decompress first/),
    });
    const xml = join(dir, 'dump.xml');
    await writeFile(xml, '<?xml version="1.0"?><django-objects/>');
    expect(await runImport(config, [xml])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/--format json/),
    });
    expect((await runImport(config, [])).code).toBe(2);
    expect((await runImport(config, [malformed, '--existing', 'merge'])).code).toBe(2);
    expect((await runImport(config, [malformed, '--hashers', 'crypt'])).code).toBe(2);
    const help = await runImport(config, ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/server must be stopped/);
    expect(await users()).toEqual([]);
  });
});

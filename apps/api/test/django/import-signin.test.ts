import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenAuthDocument } from '@gql-auth/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createMikroOrmSqlClient } from '../../src/db/sql-client.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import { runImport } from './import-kit.js';
import { djangoVectors, dumpPasswords, dumpPath } from './vectors.js';

// The dump was made by real Django (make-vectors.py): one user per hash format, plus the awkward cases.
const REJECTED = new Set(['kim', 'lee_b']);
const signInUsers = Object.entries(dumpPasswords).filter(([username]) => !REJECTED.has(username));
const emailOf = new Map(
  (
    JSON.parse(readFileSync(dumpPath('dump.json'), 'utf8')) as {
      model: string;
      fields: Record<string, string>;
    }[]
  )
    .filter((row) => row.model === 'users.extenduser')
    .map((row) => [row.fields.username!, row.fields.email!]),
);

function sql(api: TestInstance) {
  return createMikroOrmSqlClient(api.services.db.orm.em.fork() as EntityManager);
}

async function expectSignInsWork(api: TestInstance) {
  for (const [username, password] of signInUsers) {
    const byName = await api.gql(TokenAuthDocument, { username, password });
    expect(byName.data?.tokenAuth, username).toMatchObject({ success: true, user: { username } });
    const byEmail = await api.gql(TokenAuthDocument, { email: emailOf.get(username)!, password });
    expect(byEmail.data?.tokenAuth, `${username} by email`).toMatchObject({
      success: true,
      user: { username },
    });
  }
}

describe('import:django then tokenAuth (postgres+redis)', () => {
  let api: TestInstance;
  let dir: string;
  beforeAll(async () => {
    api = await createTestInstance('postgres+redis');
    dir = await mkdtemp(join(tmpdir(), 'django-import-test-'));
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a dry run reports what the import would do and writes nothing', async () => {
    const reportFile = join(dir, 'dry.json');
    const run = await runImport(api.services.config, [
      dumpPath('dump.json'),
      '--dry-run',
      '--report',
      reportFile,
    ]);
    expect(run.code).toBe(3);
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(report).toMatchObject({
      dryRun: true,
      counts: { users: { read: 34, created: 32, rejected: 2 } },
    });
    const [row] = await sql(api).query<{ n: string }>(`select count(*) as "n" from "user"`);
    expect(Number(row!.n)).toBe(0);
  });

  it('imports every format; the report names rejections and warnings and never a hash', async () => {
    const reportFile = join(dir, 'report.json');
    const run = await runImport(api.services.config, [dumpPath('dump.json'), '--report', reportFile]);
    expect(run.code).toBe(3);
    const text = await readFile(reportFile, 'utf8');
    const report = JSON.parse(text);
    expect(report).toMatchObject({
      source: 'dump.json',
      dryRun: false,
      existing: 'skip',
      counts: {
        users: { read: 34, created: 32, updated: 0, unchanged: 0, rejected: 2 },
        passwords: { pbkdf2_sha256: 8, argon2: 5, scrypt: 3, unusable: 1, nulled: 2 },
        groups: { created: 2, reused: 0 },
        permissions: { created: 2, reused: 2 },
        skipped: { 'refresh_token.refreshtoken': 1 },
      },
    });
    expect(report.rejected).toEqual([
      { djangoPk: 29, username: 'kim', reason: 'duplicate_username', keptPk: 30, keptUsername: 'Kim' },
      expect.objectContaining({ djangoPk: 32, username: 'lee_b', reason: 'duplicate_email', keptPk: 31 }),
    ]);
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        { djangoPk: 26, username: 'crypt-user', code: 'unsupported_hasher', algorithm: 'crypt' },
        { djangoPk: 27, username: 'huge-pbkdf2', code: 'hash_parameters_out_of_bounds' },
        { djangoPk: 28, username: 'no-status', code: 'missing_user_status' },
        { djangoPk: 33, username: 'noor', code: 'secondary_email_taken' },
      ]),
    );
    // No part of any imported hash (its digest tail) in the output or the report.
    const hashes = [...djangoVectors.vectors.map((v) => v.encoded), ...Object.values(djangoVectors.refused)];
    for (const encoded of hashes.filter((h) => h.length > 20)) {
      const tail = encoded.slice(-16);
      expect(run.out + run.err + text).not.toContain(tail);
    }
  });

  it('signs every imported user in by username and by email, rehashing on the way', async () => {
    await expectSignInsWork(api);
    const rows = await sql(api).query<{ username: string; password_hash: string | null }>(
      `select "username", "password_hash" from "user" where "password_hash" is not null`,
    );
    // After one sign-in every hash is the project's: bcrypt at cost 4, or bcrypt_sha256 over 72 bytes.
    for (const row of rows)
      expect(row.password_hash, row.username).toMatch(/^(bcrypt_sha256\$|bcrypt\$)?\$2[ab]\$04\$/);
    const long = rows.find((row) => row.username === 'pbkdf2-sha256-3')!;
    expect(long.password_hash).toMatch(/^bcrypt_sha256\$\$2b\$04\$/);
    const audits = await sql(api).query<{ metadata: Record<string, string> | string }>(
      `select "metadata" from "audit_log" where "action" = 'auth.password_rehashed'`,
    );
    // Django bcrypt formats at the configured cost (4) count as native; every other user was upgraded.
    const native = Object.keys(dumpPasswords).filter((u) => /^bcrypt(-sha256)?-[123]$/.test(u)).length;
    expect(audits).toHaveLength(signInUsers.length - native);
  });

  it('a wrong password fails for an imported account', async () => {
    const { data } = await api.gql(TokenAuthDocument, { username: 'admin', password: 'not-it' });
    expect(data?.tokenAuth.success).toBe(false);
  });

  it('a re-run changes nothing and reports the same rejections; --existing update keeps rehashed passwords', async () => {
    const before = await sql(api).query(`select * from "user" order by "id"`);
    const again = await runImport(api.services.config, [
      dumpPath('dump.json'),
      '--no-progress',
      '--report',
      join(dir, 'again.json'),
    ]);
    expect(again.code).toBe(3);
    const report = JSON.parse(await readFile(join(dir, 'again.json'), 'utf8'));
    expect(report.counts.users).toEqual({ read: 34, created: 0, updated: 0, unchanged: 32, rejected: 2 });
    expect(report.rejected.map((r: { reason: string }) => r.reason)).toEqual([
      'duplicate_username',
      'duplicate_email',
    ]);
    expect(await sql(api).query(`select * from "user" order by "id"`)).toEqual(before);

    const update = await runImport(api.services.config, [
      dumpPath('dump.json'),
      '--existing',
      'update',
      '--no-progress',
    ]);
    expect(update.code).toBe(3);
    expect(update.out).toMatch(/0 created, 32 updated/);
    // Everyone signed in since the import, so no imported hash came back.
    await expectSignInsWork(api);
    const [{ n }] = (await sql(api).query<{ n: string }>(
      `select count(*) as "n" from "user" where "password_hash" like 'pbkdf2%' or "password_hash" like 'argon2%'`,
    )) as [{ n: string }];
    expect(Number(n)).toBe(0);
  });
});

describe('import:django on embedded PGlite with the server stopped', () => {
  let dataDir: string;
  let api: TestInstance | null = null;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'django-import-embedded-'));
  });
  afterAll(async () => {
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('imports the JSON-lines dump from stdin, then the server signs the users in', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, BCRYPT_COST: '4', LOG_LEVEL: 'silent' });
    const dump = await readFile(dumpPath('dump-pks.jsonl'));
    const run = await runImport(config, ['-', '--no-progress'], dump);
    expect(run.err).toBe('');
    expect(run.code).toBe(3);
    expect(run.out).toMatch(/34 read, 32 created/);
    api = await createTestInstance('embedded', { DATA_DIR: dataDir });
    await expectSignInsWork(api);
  });
});

import {
  RefreshTokenDocument,
  SendSecondaryEmailActivationDocument,
  SwapEmailsDocument,
  TokenAuthDocument,
} from '@gql-auth/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMikroOrmSqlClient } from '../../src/db/sql-client.js';
import { createTokenPairIssuer } from '../../src/modules/tokens/token-pairs.js';
import { createUser, tokenFor } from '../support/fixtures.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import { djangoVectors } from './vectors.js';

// Vectors by Debian's Django 3.2: /usr/bin/python3 apps/api/test/django/make-vectors.py
const pbkdf2 = djangoVectors.vectors.find(
  (v) => v.scheme === 'pbkdf2_sha256' && v.note.startsWith('1000 iterations, non'),
)!;
const md5 = djangoVectors.vectors.find((v) => v.scheme === 'md5')!;

describe('rehash on successful verification (postgres+redis)', () => {
  let api: TestInstance;
  const sql = () => createMikroOrmSqlClient(api.services.db.orm.em.fork() as EntityManager);
  const storedHash = async (id: number) =>
    (
      await sql().query<{ password_hash: string | null; password_changed_at: Date | null }>(
        `select "password_hash", "password_changed_at" from "user" where "id" = ?`,
        [id],
      )
    )[0]!;
  const rehashAudits = async (id: number) =>
    sql().query<{ actor_id: number; metadata: Record<string, string> }>(
      `select "actor_id", "metadata" from "audit_log" where "action" = 'auth.password_rehashed' and "target_id" = ?`,
      [String(id)],
    );
  async function djangoUser(name: string, encoded: string) {
    const user = await createUser(api, { username: name });
    await sql().query(`update "user" set "password_hash" = ? where "id" = ?`, [encoded, user.id]);
    return user;
  }

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('tokenAuth upgrades a Django hash once: not a password change, sessions stay, audited', async () => {
    const user = await djangoUser('pia', pbkdf2.encoded);
    // A session that exists before the rehash must survive it.
    const issue = createTokenPairIssuer({
      refreshTokens: api.services.refreshTokens,
      accessTokens: api.services.accessTokens,
    });
    const earlier = await issue(user, { ip: null, userAgent: null });
    const { data } = await api.gql(TokenAuthDocument, { username: 'pia', password: pbkdf2.password });
    expect(data?.tokenAuth.success).toBe(true);
    const after = await storedHash(user.id);
    expect(after.password_hash).toMatch(/^\$2b\$04\$/);
    expect(after.password_changed_at).toBeNull();
    expect(await rehashAudits(user.id)).toEqual([
      { actor_id: user.id, metadata: { from: 'pbkdf2_sha256', to: 'bcrypt' } },
    ]);
    const refreshed = await api.gql(RefreshTokenDocument, { refreshToken: earlier.refreshToken });
    expect(refreshed.data?.refreshToken.success).toBe(true);
    // The next sign-in verifies natively and writes nothing more.
    const again = await api.gql(TokenAuthDocument, { username: 'pia', password: pbkdf2.password });
    expect(again.data?.tokenAuth.success).toBe(true);
    expect((await storedHash(user.id)).password_hash).toBe(after.password_hash);
    expect(await rehashAudits(user.id)).toHaveLength(1);
  });

  it('a failed sign-in never writes', async () => {
    const user = await djangoUser('quin', md5.encoded);
    const { data } = await api.gql(TokenAuthDocument, { username: 'quin', password: 'wrong' });
    expect(data?.tokenAuth.success).toBe(false);
    expect((await storedHash(user.id)).password_hash).toBe(md5.encoded);
    expect(await rehashAudits(user.id)).toEqual([]);
  });

  it('a password confirmation (sendSecondaryEmailActivation, swapEmails) rehashes too', async () => {
    const user = await djangoUser('rhea', md5.encoded);
    const token = await tokenFor(api, user);
    const wrong = await api.gql(
      SendSecondaryEmailActivationDocument,
      { email: 'rhea.work@example.org', password: 'wrong' },
      { token },
    );
    expect(wrong.data?.sendSecondaryEmailActivation.errors).toHaveProperty('password');
    expect((await storedHash(user.id)).password_hash).toBe(md5.encoded);
    const right = await api.gql(
      SendSecondaryEmailActivationDocument,
      { email: 'rhea.work@example.org', password: md5.password },
      { token },
    );
    expect(right.data?.sendSecondaryEmailActivation.success).toBe(true);
    expect((await storedHash(user.id)).password_hash).toMatch(/^\$2b\$04\$/);
    expect((await rehashAudits(user.id))[0]?.metadata).toEqual({ from: 'md5', to: 'bcrypt' });

    const other = await djangoUser('sol', pbkdf2.encoded);
    await sql().query(`update "user" set "secondary_email" = 'sol.2@example.org' where "id" = ?`, [other.id]);
    const swapped = await api.gql(
      SwapEmailsDocument,
      { password: pbkdf2.password },
      { token: await tokenFor(api, other) },
    );
    expect(swapped.data?.swapEmails.success).toBe(true);
    expect((await storedHash(other.id)).password_hash).toMatch(/^\$2b\$04\$/);
  });

  it('compare-and-set: a reset between the verification and the write keeps the reset password', async () => {
    const user = await djangoUser('tao', pbkdf2.encoded);
    const verified = await api.services.hasher.verify(pbkdf2.password, pbkdf2.encoded, user.id);
    expect(verified).toEqual({ ok: true, needsUpgrade: true, scheme: 'pbkdf2_sha256' });
    // The reset commits first...
    const resetHash = await api.services.hasher.hash('the-reset-password-1');
    await sql().query(`update "user" set "password_hash" = ? where "id" = ?`, [resetHash, user.id]);
    // ...then the rehash of the old password lands on zero rows, and says so without throwing.
    expect(await api.services.hasher.upgrade(user.id, pbkdf2.encoded, pbkdf2.password, verified.scheme)).toBe(
      false,
    );
    expect((await storedHash(user.id)).password_hash).toBe(resetHash);
    expect(await rehashAudits(user.id)).toEqual([]);
    const { data } = await api.gql(TokenAuthDocument, { username: 'tao', password: 'the-reset-password-1' });
    expect(data?.tokenAuth.success).toBe(true);
  });

  it('a password over 72 bytes is rehashed to bcrypt_sha256, so its tail still counts', async () => {
    const long = djangoVectors.vectors.find(
      (v) => v.scheme === 'pbkdf2_sha256' && v.note.includes('72 bytes'),
    )!;
    const user = await djangoUser('uma', long.encoded);
    const { data } = await api.gql(TokenAuthDocument, { username: 'uma', password: long.password });
    expect(data?.tokenAuth.success).toBe(true);
    expect((await storedHash(user.id)).password_hash).toMatch(/^bcrypt_sha256\$\$2b\$04\$/);
    expect((await rehashAudits(user.id))[0]?.metadata).toEqual({
      from: 'pbkdf2_sha256',
      to: 'bcrypt_sha256',
    });
    const sameStart = `${long.password.slice(0, 80)}but a different ending`;
    const wrong = await api.gql(TokenAuthDocument, { username: 'uma', password: sameStart });
    expect(wrong.data?.tokenAuth.success).toBe(false);
    const right = await api.gql(TokenAuthDocument, { username: 'uma', password: long.password });
    expect(right.data?.tokenAuth.success).toBe(true);
  });

  it('a failed sign-in awaits the failure floor; a success does not', async () => {
    await djangoUser('vic', md5.encoded);
    const hasher = api.services.hasher;
    const original = hasher.startFailureFloor;
    let started = 0;
    let awaited = 0;
    hasher.startFailureFloor = () => {
      started += 1;
      return async () => {
        awaited += 1;
      };
    };
    try {
      await api.gql(TokenAuthDocument, { username: 'vic', password: 'wrong' });
      await api.gql(TokenAuthDocument, { username: 'nobody-here', password: 'wrong' });
      expect([started, awaited]).toEqual([2, 2]);
      await api.gql(TokenAuthDocument, { username: 'vic', password: md5.password });
      expect([started, awaited]).toEqual([3, 2]);
    } finally {
      hasher.startFailureFloor = original;
    }
  });
});

import { MeDocument, RefreshTokenDocument, RevokeTokenDocument, VerifyTokenDocument } from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvents } from '../../src/modules/events/app-events.js';
import { digestToken } from '../../src/modules/tokens/token-store.js';
import { openTestRedis } from '../support/test-database.js';
import { createTestInstance, TEST_MODES, type TestInstance } from '../support/test-instance.js';
import { codeOf, createUser, signIn } from './fixtures.js';

const DAY = 24 * 3600 * 1000;

describe.each(TEST_MODES)('refresh token rotation (%s)', (mode) => {
  let api: TestInstance;
  let username: string;
  const reused: Array<AppEvents['refreshTokenReused']> = [];

  beforeAll(async () => {
    api = await createTestInstance(mode);
    api.services.events.on('refreshTokenReused', (event) => {
      reused.push(event);
    });
    username = await createUser(api, 'rot');
  });
  afterAll(async () => {
    await api?.close();
  });

  const refresh = (refreshToken: string) => api.gql(RefreshTokenDocument, { refreshToken });

  it('rotates: a new pair with payload and refreshExpiresIn, and the presented token dies', async () => {
    const session = await signIn(api, username);
    api.clock.advance(60_000);
    const { data, errors } = await refresh(session.refreshToken);
    expect(errors).toBeUndefined();
    const result = data!.refreshToken;
    expect(result).toMatchObject({ success: true, errors: null });
    expect(result.refreshToken).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    expect(result.refreshToken).not.toBe(session.refreshToken);
    expect(result.refreshExpiresIn).toBe(Math.floor(api.clock.now().getTime() / 1000) + 7 * 24 * 3600);
    // Same session, same sign-in time; a fresh access token.
    expect(result.payload).toMatchObject({
      username,
      sid: session.payload.sid,
      origIat: session.payload.origIat,
      iat: Number(session.payload.iat) + 60,
    });
    const me = await api.gql(MeDocument, {}, { token: result.token! });
    expect(me.data?.me?.username).toBe(username);

    // Stored as digests only; the old record knows its successor.
    const old = await api.services.tokenStore.find(digestToken(session.refreshToken));
    expect(old).toMatchObject({
      successorDigest: digestToken(result.refreshToken!),
      lastUsedAt: api.clock.now(),
    });
    const successor = await api.services.tokenStore.find(digestToken(result.refreshToken!));
    expect(successor).toMatchObject({ familyId: session.payload.sid, userId: session.userId });
    expect(JSON.stringify(successor)).not.toContain(result.refreshToken);

    // The successor rotates too.
    api.clock.advance(20_000);
    const next = await refresh(result.refreshToken!);
    expect(next.data?.refreshToken.success).toBe(true);
  });

  it('inside the grace window, the rotated token answers the same successor pair', async () => {
    const session = await signIn(api, username);
    const first = (await refresh(session.refreshToken)).data!.refreshToken;
    api.clock.advance(9_000);
    const retry = (await refresh(session.refreshToken)).data!.refreshToken;
    expect(retry).toMatchObject({
      success: true,
      refreshToken: first.refreshToken,
      refreshExpiresIn: first.refreshExpiresIn,
    });
    expect(retry.payload).toMatchObject({ sid: session.payload.sid });
    // Both tabs stay signed in: the shared successor still rotates.
    const next = await refresh(retry.refreshToken!);
    expect(next.data?.refreshToken.success).toBe(true);
    expect(reused).toHaveLength(0);
  });

  it('a lost refresh answer never signs out: the retry days later gets the same successor pair', async () => {
    const session = await signIn(api, username);
    const lost = (await refresh(session.refreshToken)).data!.refreshToken; // never reached the client
    api.clock.advance(3 * DAY);
    try {
      const retry = (await refresh(session.refreshToken)).data!.refreshToken;
      expect(retry).toMatchObject({
        success: true,
        refreshToken: lost.refreshToken,
        refreshExpiresIn: lost.refreshExpiresIn,
      });
      expect((await api.gql(MeDocument, {}, { token: retry.token! })).data?.me?.username).toBe(username);
      expect((await refresh(retry.refreshToken!)).data?.refreshToken.success).toBe(true);
      expect(reused).toHaveLength(0);
    } finally {
      api.clock.advance(-3 * DAY);
    }
  });

  it('after the successor was used and the grace window passed, reuse revokes the whole family, emits an event and answers invalid_token', async () => {
    const session = await signIn(api, username, { 'user-agent': 'thief-test' });
    const other = await signIn(api, username);
    const first = (await refresh(session.refreshToken)).data!.refreshToken;
    api.clock.advance(10_001);
    const second = (await refresh(first.refreshToken!)).data!.refreshToken; // the holder moves on
    expect(second.success).toBe(true);

    const stolen = await refresh(session.refreshToken);
    expect(stolen.data?.refreshToken).toMatchObject({
      success: false,
      errors: { nonFieldErrors: [{ code: 'invalid_token', message: 'Invalid token.' }] },
      token: null,
      refreshToken: null,
    });
    // Revoked: `first` and `second`. The stolen token itself was pruned when `first` rotated past
    // the grace window (a session keeps a bounded number of records); its family still names it.
    expect(reused).toEqual([
      expect.objectContaining({ userId: session.userId, familyId: session.payload.sid, revoked: 2 }),
    ]);
    // The legitimate holder's current token died with the family; other sessions live on.
    expect(codeOf((await refresh(second.refreshToken!)).data?.refreshToken)).toBe('invalid_token');
    expect((await refresh(other.refreshToken)).data?.refreshToken.success).toBe(true);
    // And presenting it again does not emit twice (already revoked).
    expect(codeOf((await refresh(session.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    expect(reused).toHaveLength(1);
  });

  it('50 concurrent refreshes of one token: one family survives and every caller gets a usable pair', async () => {
    const session = await signIn(api, username);
    const results = await Promise.all(Array.from({ length: 50 }, () => refresh(session.refreshToken)));
    const pairs = results.map((r) => r.data!.refreshToken);
    expect(pairs.every((p) => p.success)).toBe(true);
    const successors = new Set(pairs.map((p) => p.refreshToken));
    expect(successors.size).toBe(1);
    for (const pair of pairs) {
      expect(pair.payload?.sid).toBe(session.payload.sid);
      expect((await api.gql(MeDocument, {}, { token: pair.token! })).data?.me?.username).toBe(username);
    }
    const records = await api.services.tokenStore.listForUser(session.userId, api.clock.now());
    const family = records.filter((r) => r.familyId === session.payload.sid);
    expect(family).toHaveLength(2); // the rotated original and its one successor
    expect(family.filter((r) => !r.rotatedAt && !r.revokedAt)).toHaveLength(1);
    expect((await refresh([...successors][0]!)).data?.refreshToken.success).toBe(true);
    expect(reused).toHaveLength(1); // only the theft test's event
  });

  it('once the successor pair authenticated a request, replaying the rotated token is reuse', async () => {
    const session = await signIn(api, username);
    const next = (await refresh(session.refreshToken)).data!.refreshToken;
    api.clock.advance(60_000);
    expect((await api.gql(MeDocument, {}, { token: next.token! })).data?.me?.username).toBe(username);
    const before = reused.length;
    expect(codeOf((await refresh(session.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    expect(reused).toHaveLength(before + 1);
    expect(codeOf((await refresh(next.refreshToken!)).data?.refreshToken)).toBe('invalid_token');
  });

  it('an expired refresh token answers expired_token; unknown and garbage answer invalid_token', async () => {
    const session = await signIn(api, username);
    api.clock.advance(7 * DAY);
    try {
      const expired = await refresh(session.refreshToken);
      expect(expired.data?.refreshToken.errors).toEqual({
        nonFieldErrors: [{ code: 'expired_token', message: 'Expired token.' }],
      });
    } finally {
      api.clock.advance(-7 * DAY);
    }
    for (const bad of [`rt_${'A'.repeat(43)}`, 'garbage', `${session.refreshToken}x`, '']) {
      const { data } = await refresh(bad);
      expect(data?.refreshToken.success).toBe(false);
      expect(['invalid_token', 'required']).toContain(codeOf(data?.refreshToken));
    }
    const missing = await api.gql(RefreshTokenDocument, {});
    expect(missing.data?.refreshToken.errors).toMatchObject({ refreshToken: [{ code: 'required' }] });
  });

  it('revokeToken revokes one token (unix seconds) and refresh then answers invalid_token', async () => {
    const session = await signIn(api, username);
    const { data } = await api.gql(RevokeTokenDocument, { refreshToken: session.refreshToken });
    expect(data?.revokeToken).toEqual({
      success: true,
      errors: null,
      revoked: Math.floor(api.clock.now().getTime() / 1000),
    });
    expect(codeOf((await refresh(session.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    const again = await api.gql(RevokeTokenDocument, { refreshToken: `rt_${'B'.repeat(43)}` });
    expect(codeOf(again.data?.revokeToken)).toBe('invalid_token');
  });

  it('verifyToken answers the payload of a refreshed access token', async () => {
    const session = await signIn(api, username);
    const pair = (await refresh(session.refreshToken)).data!.refreshToken;
    const { data } = await api.gql(VerifyTokenDocument, { token: pair.token! });
    expect(data?.verifyToken).toMatchObject({
      success: true,
      payload: { sid: session.payload.sid, username },
    });
  });

  it('archived and deleted accounts cannot refresh; their sessions end', async () => {
    const archivedName = await createUser(api, 'arch');
    const archived = await signIn(api, archivedName);
    const deletedName = await createUser(api, 'del');
    const deleted = await signIn(api, deletedName);
    const sql = api.services.db.orm.em.getConnection();
    // Fixtures, not mocks: the account module's mutations end in these same rows.
    await sql.execute(`update "user" set archived = true where id = ${archived.userId}`);
    await sql.execute(`delete from "user" where id = ${deleted.userId}`);

    expect(codeOf((await refresh(archived.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    expect(codeOf((await refresh(deleted.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    const left = await api.services.tokenStore.listForUser(archived.userId, api.clock.now());
    expect(left.every((r) => r.revokedAt !== null)).toBe(true);
  });

  if (mode === 'postgres+redis') {
    it('every Redis key the refresh path writes carries a TTL', async () => {
      const session = await signIn(api, username);
      await refresh(session.refreshToken);
      const redis = await openTestRedis(api.services.config.redis!.url);
      try {
        const keys = await redis.keys(`${api.services.config.redis!.keyPrefix}*`);
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) expect(await redis.pTTL(key)).toBeGreaterThan(0);
      } finally {
        redis.destroy();
      }
    });
  }
});

import {
  ArchiveAccountDocument,
  DeleteAccountDocument,
  LogoutDocument,
  MeDocument,
  PasswordChangeDocument,
  RefreshTokenDocument,
  RevokeAllSessionsDocument,
  RevokeOtherSessionsDocument,
  RevokeSessionDocument,
  SessionsDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, TEST_MODES, type TestInstance } from '../support/test-instance.js';
import { codeOf, createUser, PASSWORD, type SignedIn, signIn } from './fixtures.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe.each(TEST_MODES)('sessions (%s)', (mode) => {
  let api: TestInstance;

  beforeAll(async () => {
    api = await createTestInstance(mode);
  });
  afterAll(async () => {
    await api?.close();
  });

  const refresh = (refreshToken: string) => api.gql(RefreshTokenDocument, { refreshToken });
  const sessionsOf = async (session: SignedIn) => {
    const { data, errors } = await api.gql(SessionsDocument, {}, { token: session.token });
    expect(errors).toBeUndefined();
    return data!.sessions;
  };
  /** A user with only the sessions the test opens (registration opens one; end it). */
  async function freshUser(name: string) {
    const username = await createUser(api, name);
    const first = await signIn(api, username);
    await api.gql(RevokeAllSessionsDocument, {}, { token: first.token });
    return username;
  }

  it('lists live sessions with created, lastUsed, expires, device summary, coarse ip and current', async () => {
    const username = await freshUser('list');
    const laptop = await signIn(api, username, { 'user-agent': FIREFOX, 'x-forwarded-for': '203.0.113.77' });
    api.clock.advance(60_000);
    const phone = await signIn(api, username, {
      'user-agent': SAFARI_IOS,
      'x-forwarded-for': '2001:db8:abcd:12::1',
    });
    api.clock.advance(60_000);
    // Refreshing moves lastUsed, not created.
    const refreshed = (await refresh(laptop.refreshToken)).data!.refreshToken;
    expect(refreshed.success).toBe(true);

    const list = await sessionsOf(phone);
    expect(list).toHaveLength(2);
    // Listing from the phone is the phone's first authenticated request: its lastUsed is now too.
    const first = list.find((s) => s.id === laptop.payload.sid);
    const second = list.find((s) => s.id === phone.payload.sid);
    expect(second?.lastUsed).toBe(api.clock.now().toISOString());
    expect(first).toMatchObject({
      id: laptop.payload.sid,
      created: new Date(Number(laptop.payload.iat) * 1000).toISOString(),
      lastUsed: api.clock.now().toISOString(),
      expires: new Date(refreshed.refreshExpiresIn! * 1000).toISOString(),
      current: false,
    });
    // The refresh itself came from the test's fetch: the summary follows the newest token.
    expect(first?.ip).toBe('127.0.0.0/24');
    expect(second).toMatchObject({
      id: phone.payload.sid,
      userAgent: 'Safari 17 on iOS',
      ip: '2001:db8:abcd::/48',
      current: true,
    });
    const fromLaptop = await sessionsOf({ ...laptop, token: refreshed.token! });
    expect(fromLaptop.find((s) => s.current)?.id).toBe(laptop.payload.sid);
    expect(fromLaptop.find((s) => s.id === laptop.payload.sid)?.userAgent).toMatch(/^Node\.js|node/);

    const anonymous = await api.gql(SessionsDocument, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('revokeSession ends one of the user’s sessions only, and not someone else’s', async () => {
    const username = await freshUser('one');
    const a = await signIn(api, username, { 'user-agent': FIREFOX, 'x-forwarded-for': '198.51.100.9' });
    const b = await signIn(api, username);
    const stranger = await signIn(api, await freshUser('stranger'));

    const foreign = await api.gql(
      RevokeSessionDocument,
      { id: a.payload.sid as string },
      { token: stranger.token },
    );
    expect(codeOf(foreign.data?.revokeSession)).toBe('invalid');
    expect((await sessionsOf(a)).map((s) => s.id)).toContain(a.payload.sid);

    const { data } = await api.gql(
      RevokeSessionDocument,
      { id: a.payload.sid as string },
      { token: b.token },
    );
    expect(data?.revokeSession).toEqual({ success: true, errors: null });
    expect((await sessionsOf(b)).map((s) => s.id)).toEqual([b.payload.sid]);
    expect(codeOf((await refresh(a.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    expect((await refresh(b.refreshToken)).data?.refreshToken.success).toBe(true);

    const anonymous = await api.gql(RevokeSessionDocument, { id: 'x' });
    expect(codeOf(anonymous.data?.revokeSession)).toBe('unauthenticated');
  });

  it('revokeOtherSessions keeps the current session only', async () => {
    const username = await freshUser('others');
    const sessions = [await signIn(api, username), await signIn(api, username), await signIn(api, username)];
    const current = sessions[1]!;
    const { data } = await api.gql(RevokeOtherSessionsDocument, {}, { token: current.token });
    expect(data?.revokeOtherSessions).toEqual({ success: true, errors: null, revokedCount: 2 });
    expect((await sessionsOf(current)).map((s) => s.id)).toEqual([current.payload.sid]);
    expect((await refresh(current.refreshToken)).data?.refreshToken.success).toBe(true);
    expect(codeOf((await refresh(sessions[0]!.refreshToken)).data?.refreshToken)).toBe('invalid_token');
  });

  it('revokeAllSessions and the store’s revokeAllForUser end every session', async () => {
    const username = await freshUser('all');
    const a = await signIn(api, username);
    const b = await signIn(api, username);
    const { data } = await api.gql(RevokeAllSessionsDocument, {}, { token: a.token });
    expect(data?.revokeAllSessions).toEqual({ success: true, errors: null, revokedCount: 2 });
    for (const s of [a, b])
      expect(codeOf((await refresh(s.refreshToken)).data?.refreshToken)).toBe('invalid_token');

    const c = await signIn(api, username);
    expect(await api.services.tokenStore.revokeAllForUser(c.userId, api.clock.now())).toBe(1);
    expect(codeOf((await refresh(c.refreshToken)).data?.refreshToken)).toBe('invalid_token');
  });

  it('a password change revokes every session of the user', async () => {
    const username = await freshUser('pw');
    const a = await signIn(api, username);
    const b = await signIn(api, username);
    // Fixture: passwordChange needs a verified account; verification mail is the account module's flow.
    await api.services.db.orm.em
      .getConnection()
      .execute(`update "user" set verified = true where id = ${a.userId}`);
    const { data } = await api.gql(
      PasswordChangeDocument,
      { oldPassword: PASSWORD, newPassword1: 'new-Horse-Battery-9', newPassword2: 'new-Horse-Battery-9' },
      { token: a.token },
    );
    expect(data?.passwordChange.success).toBe(true);
    for (const s of [a, b])
      expect(codeOf((await refresh(s.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    // The pair passwordChange hands back is a new, working session.
    if (data?.passwordChange.refreshToken) {
      expect((await refresh(data.passwordChange.refreshToken)).data?.refreshToken.success).toBe(true);
    }
  });

  it('archiving and deleting the account end its sessions', async () => {
    const end = async (kind: 'archive' | 'delete', token: string) => {
      if (kind === 'archive') {
        return (await api.gql(ArchiveAccountDocument, { password: PASSWORD }, { token })).data
          ?.archiveAccount;
      }
      return (await api.gql(DeleteAccountDocument, { password: PASSWORD }, { token })).data?.deleteAccount;
    };
    for (const kind of ['archive', 'delete'] as const) {
      const username = await freshUser('gone');
      const a = await signIn(api, username);
      const b = await signIn(api, username);
      await api.services.db.orm.em
        .getConnection()
        .execute(`update "user" set verified = true where id = ${a.userId}`);
      expect(await end(kind, a.token)).toMatchObject({ success: true });
      for (const s of [a, b]) {
        expect(codeOf((await refresh(s.refreshToken)).data?.refreshToken)).toBe('invalid_token');
      }
    }
  });

  it('logout ends the current session, also by refresh token once the access token expired', async () => {
    const username = await freshUser('logout');
    const a = await signIn(api, username);
    const b = await signIn(api, username);
    const { data } = await api.gql(LogoutDocument, {}, { token: a.token });
    expect(data?.logout).toEqual({ success: true, errors: null });
    expect(codeOf((await refresh(a.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    expect((await sessionsOf(b)).map((s) => s.id)).toEqual([b.payload.sid]);

    api.clock.advance(301_000);
    try {
      expect((await api.gql(MeDocument, {}, { token: b.token })).data?.me).toBeNull();
      const byRefresh = await api.gql(LogoutDocument, { refreshToken: b.refreshToken }, { token: b.token });
      expect(byRefresh.data?.logout.success).toBe(true);
      expect(codeOf((await refresh(b.refreshToken)).data?.refreshToken)).toBe('invalid_token');
    } finally {
      api.clock.advance(-301_000);
    }
    expect(codeOf((await api.gql(LogoutDocument, {})).data?.logout)).toBe('unauthenticated');
    expect(codeOf((await api.gql(LogoutDocument, { refreshToken: b.refreshToken })).data?.logout)).toBe(
      'invalid_token',
    );
  });
});

import {
  LogoutDocument,
  MeDocument,
  RefreshTokenDocument,
  RevokeOtherSessionsDocument,
  VerifyTokenDocument,
} from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, TEST_MODES, type TestInstance } from '../support/test-instance.js';
import { codeOf, createUser, type SignedIn, signIn } from './fixtures.js';

/** Who an access token speaks for right now (null: nobody). */
const whoAmI = async (api: TestInstance, session: { token: string }) =>
  (await api.gql(MeDocument, {}, { token: session.token })).data?.me?.username ?? null;

describe.each(TEST_MODES)('access tokens end with their session (%s)', (mode) => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance(mode);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('logout: the access token stops working at once; other sessions keep theirs', async () => {
    const username = await createUser(api, 'sbout');
    const [a, b] = [await signIn(api, username), await signIn(api, username)];
    expect(await whoAmI(api, a)).toBe(username);
    expect((await api.gql(LogoutDocument, {}, { token: a.token })).data?.logout.success).toBe(true);
    expect(await whoAmI(api, a)).toBeNull();
    expect(codeOf((await api.gql(VerifyTokenDocument, { token: a.token })).data?.verifyToken)).toBe(
      'invalid_token',
    );
    expect(await whoAmI(api, b)).toBe(username);
  });

  it('revokeOtherSessions and an admin-style revoke-all reach the access tokens too', async () => {
    const username = await createUser(api, 'sbothers');
    const sessions: SignedIn[] = [await signIn(api, username), await signIn(api, username)];
    const [kept, other] = sessions as [SignedIn, SignedIn];
    await api.gql(RevokeOtherSessionsDocument, {}, { token: kept.token });
    expect(await whoAmI(api, other)).toBeNull();
    expect(await whoAmI(api, kept)).toBe(username);

    await api.services.tokenStore.revokeAllForUser(kept.userId, api.clock.now());
    expect(await whoAmI(api, kept)).toBeNull();
  });

  it('refreshing keeps the session: the earlier access token works until it expires', async () => {
    const username = await createUser(api, 'sbrot');
    const first = await signIn(api, username);
    const next = (await api.gql(RefreshTokenDocument, { refreshToken: first.refreshToken })).data!
      .refreshToken;
    expect(next.success).toBe(true);
    expect(await whoAmI(api, first)).toBe(username);
    expect(await whoAmI(api, { token: next.token! })).toBe(username);
  });

  it('reuse of a rotated refresh token after its successor was used ends every access token of the session', async () => {
    const username = await createUser(api, 'sbreuse');
    const victim = await signIn(api, username);
    const first = (await api.gql(RefreshTokenDocument, { refreshToken: victim.refreshToken })).data!
      .refreshToken;
    api.clock.advance(11_000);
    try {
      const rotated = (await api.gql(RefreshTokenDocument, { refreshToken: first.refreshToken })).data!
        .refreshToken;
      expect(rotated.success).toBe(true);
      const replay = await api.gql(RefreshTokenDocument, { refreshToken: victim.refreshToken });
      expect(codeOf(replay.data?.refreshToken)).toBe('invalid_token');
      expect(await whoAmI(api, victim)).toBeNull();
      expect(await whoAmI(api, { token: rotated.token! })).toBeNull();
    } finally {
      api.clock.advance(-11_000);
    }
  });
});

describe('ACCESS_TOKEN_SESSION_CHECK=false: stateless access tokens', () => {
  let api: TestInstance;
  beforeAll(async () => {
    api = await createTestInstance('embedded', { ACCESS_TOKEN_SESSION_CHECK: 'false' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('after logout the access token keeps working until it expires (the documented trade-off)', async () => {
    const username = await createUser(api, 'sbfree');
    const session = await signIn(api, username);
    await api.gql(LogoutDocument, {}, { token: session.token });
    expect(
      codeOf(
        (await api.gql(RefreshTokenDocument, { refreshToken: session.refreshToken })).data?.refreshToken,
      ),
    ).toBe('invalid_token');
    expect(await whoAmI(api, session)).toBe(username);
    api.clock.advance(301_000);
    try {
      expect(await whoAmI(api, session)).toBeNull();
    } finally {
      api.clock.advance(-301_000);
    }
  });
});

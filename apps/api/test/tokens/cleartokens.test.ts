import { PassThrough } from 'node:stream';
import { RevokeTokenDocument } from '@gql-auth/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleartokens } from '../../src/cli/cleartokens.command.js';
import { digestToken } from '../../src/modules/tokens/token-store.js';
import { createTestInstance, type TestInstance } from '../support/test-instance.js';
import { createUser, signIn } from './fixtures.js';

async function run(api: TestInstance, args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => {
    out += String(chunk);
  });
  const code = await cleartokens.run({
    config: api.services.config,
    // The clock that made the tokens: expiry means the same to the test and the command.
    clock: api.clock,
    args,
    stdout,
    stderr,
    stdin: new PassThrough(),
  });
  return { code, out };
}

describe.each([
  ['redis', {}],
  ['sql', { REDIS_URL: '' }],
] as const)('pnpm cli cleartokens (%s store)', (store, env) => {
  let api: TestInstance;

  beforeAll(async () => {
    api = await createTestInstance('postgres+redis', env);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('deletes expired tokens with --expired, and revoked ones too by default; live ones stay', async () => {
    const username = await createUser(api, 'clear');
    const live = await signIn(api, username);
    const revoked = await signIn(api, username);
    await api.gql(RevokeTokenDocument, { refreshToken: revoked.refreshToken });
    // An already expired token on the test clock, written straight to the store.
    const expired = digestToken(`rt_${'E'.repeat(43)}`);
    const now = api.clock.now().getTime();
    await api.services.tokenStore.save({
      digest: expired,
      userId: live.userId,
      familyId: 'expired-family',
      createdAt: new Date(now - 2 * 3600_000),
      expiresAt: new Date(now - 3600_000),
      userAgent: null,
      ip: null,
    });

    const expiredOnly = await run(api, ['--expired']);
    expect(expiredOnly.code).toBe(0);
    // Redis already dropped the expired record by its TTL; SQL needs the command.
    expect(expiredOnly.out).toBe(
      store === 'sql' ? 'deleted 1 expired refresh token\n' : 'deleted 0 expired refresh tokens\n',
    );
    expect(await api.services.tokenStore.find(expired)).toBeNull();
    expect(await api.services.tokenStore.find(digestToken(revoked.refreshToken))).not.toBeNull();

    const all = await run(api, []);
    expect(all.out).toBe('deleted 1 expired or revoked refresh token\n');
    expect(await api.services.tokenStore.find(digestToken(revoked.refreshToken))).toBeNull();
    expect(await api.services.tokenStore.find(digestToken(live.refreshToken))).not.toBeNull();

    expect((await run(api, ['--all'])).code).toBe(2);
  });
});

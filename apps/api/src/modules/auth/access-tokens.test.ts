import { describe, expect, it } from 'vitest';
import { createTestClock } from '../../../test/support/test-clock.js';
import { createAccessTokens } from './access-tokens.js';
import { createSigningKeys } from './signing-keys.js';

describe('access tokens', () => {
  it('honours the configured leeway and lifetime', async () => {
    const clock = createTestClock();
    const keys = await createSigningKeys({ secret: 's'.repeat(32), privateKeys: [] });
    const tokens = createAccessTokens(
      { keys, ttlSeconds: 60, leewaySeconds: 30, issuer: undefined, audience: undefined },
      clock,
    );
    const { token, claims } = await tokens.sign({ id: 7, username: 'ada' }, { sid: 'fam', origIat: 123 });
    expect(claims).toMatchObject({ sub: '7', exp: claims.iat + 60, origIat: 123, sid: 'fam' });
    clock.advance(80_000);
    expect((await tokens.verify(token)).ok).toBe(true);
    clock.advance(20_000);
    expect(await tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses unsupported or unreadable private keys without echoing them', async () => {
    await expect(
      createSigningKeys({ secret: '', privateKeys: ['-----BEGIN PRIVATE KEY-----\nnope'] }),
    ).rejects.toThrow(/JWT_PRIVATE_KEYS\[0\]: not a readable private key/);
  });
});

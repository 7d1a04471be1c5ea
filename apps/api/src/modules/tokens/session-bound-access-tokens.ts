import type { AccessTokens } from '../auth/access-tokens.js';
import type { Clock } from '../base/clock.js';
import type { TokenStore } from './token-store.js';

/**
 * Access tokens that die with their session. A JWT alone stays valid until it expires, so logout,
 * "sign out everywhere", reuse detection and an admin's bulk revoke would leave it working for up
 * to its lifetime; here every verification also asks the token store whether the token's session
 * (`sid`, the refresh-token family) still has a current refresh token. One store lookup per
 * authenticated request (a Redis round trip or one indexed SQL query); ACCESS_TOKEN_SESSION_CHECK
 * turns it off. The same step marks the refresh token the access token came with as used (once).
 */
export function sessionBoundAccessTokens(inner: AccessTokens, store: TokenStore, clock: Clock): AccessTokens {
  return {
    sign: (user, options) => inner.sign(user, options),
    async verify(token) {
      const result = await inner.verify(token);
      if (!result.ok || result.claims.sid === undefined) return result;
      const live = await store.isFamilyLive(result.claims.sid, clock.now(), result.claims.rid);
      return live ? result : { ok: false, reason: 'invalid' };
    },
  };
}

import type { AccessTokens } from '../auth/access-tokens.js';
import type { IssueTokenPair, TokenPair } from '../auth/token-pair.js';
import type { IssuedRefreshToken, RefreshTokens } from './refresh-tokens.js';
import { refreshTokenId } from './token-store.js';

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The access half for a refresh token: `sid` names the session (family), `origIat` its sign-in,
 * `rid` the refresh token it came with (its first use marks that token used; see refresh-tokens.ts).
 */
export async function completeTokenPair(
  accessTokens: AccessTokens,
  user: { id: number; username: string },
  refresh: IssuedRefreshToken,
): Promise<TokenPair> {
  const { token, claims } = await accessTokens.sign(user, {
    sid: refresh.familyId,
    origIat: unixSeconds(refresh.familyCreatedAt),
    rid: refreshTokenId(refresh.token),
  });
  return {
    token,
    payload: claims,
    refreshToken: refresh.token,
    refreshExpiresIn: unixSeconds(refresh.expiresAt),
  };
}

/** A new session's first pair: what auth's sign-in and account's password change are handed. */
export function createTokenPairIssuer(deps: {
  refreshTokens: RefreshTokens;
  accessTokens: AccessTokens;
}): IssueTokenPair {
  return async (user, meta) =>
    completeTokenPair(deps.accessTokens, user, await deps.refreshTokens.issue(user.id, meta));
}

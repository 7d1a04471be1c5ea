import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.js';
import { ErrorCollector, type ExpectedErrors, NON_FIELD_ERRORS } from '../../errors/expected-errors.js';
import type { Logger } from '../../logger.js';
import type { AccessTokenClaims, AccessTokens } from '../auth/access-tokens.js';
import { createUserRepository } from '../users/user.repository.js';
import type { ClientMeta, IssuedRefreshToken, RefreshTokens } from './refresh-tokens.js';
import type { TokenStore } from './token-store.js';

type Failure = { success: false; errors: ExpectedErrors };

export interface IssuedPair {
  token: string;
  refreshToken: string;
  payload: AccessTokenClaims;
  /** Unix seconds. */
  refreshExpiresIn: number;
}

export type RefreshResult = Failure | ({ success: true } & IssuedPair);
export type RevokeResult = Failure | { success: true; revoked: number };

const fail = (field: string, code: 'invalid_token' | 'expired_token' | 'required'): Failure => ({
  success: false,
  errors: new ErrorCollector().add(field, code).toJSON() ?? {},
});

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The access half for a refresh token: `sid` names the session (family), `origIat` its sign-in.
 * In cookie mode the pair is also written as httpOnly cookies.
 */
export async function completeTokenPair(
  accessTokens: AccessTokens,
  user: { id: number; username: string },
  refresh: IssuedRefreshToken,
  meta: ClientMeta,
): Promise<IssuedPair> {
  const { token, claims } = await accessTokens.sign(user, {
    sid: refresh.familyId,
    origIat: unixSeconds(refresh.familyCreatedAt),
  });
  // Both lifetimes measured from the signing time on the application clock.
  const signedAtMs = claims.iat * 1000;
  meta.tokenCookies?.setPair({
    token,
    accessMaxAgeMs: claims.exp * 1000 - signedAtMs,
    refreshToken: refresh.token,
    refreshMaxAgeMs: refresh.expiresAt.getTime() - signedAtMs,
  });
  return {
    token,
    payload: claims,
    refreshToken: refresh.token,
    refreshExpiresIn: unixSeconds(refresh.expiresAt),
  };
}

export interface TokenServiceDeps {
  refreshTokens: RefreshTokens;
  accessTokens: AccessTokens;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
}

/** refreshToken and revokeToken: the raw token in, a payload out. Cookies are set when asked. */
export function createTokenService(deps: TokenServiceDeps) {
  const completePair = (
    user: { id: number; username: string },
    refresh: IssuedRefreshToken,
    meta: ClientMeta,
  ) => completeTokenPair(deps.accessTokens, user, refresh, meta);

  return {
    async refresh(em: EntityManager, raw: string | null, meta: ClientMeta): Promise<RefreshResult> {
      if (!raw) return fail('refreshToken', 'required');
      const outcome = await deps.refreshTokens.rotate(raw, meta);
      if (outcome.status === 'expired') return fail(NON_FIELD_ERRORS, 'expired_token');
      if (outcome.status === 'invalid') return fail(NON_FIELD_ERRORS, 'invalid_token');
      const user = await createUserRepository(em).findById(outcome.userId);
      if (!user?.isActive || user.archived) {
        // The account went away (deleted, deactivated, archived): so does every session of it.
        await deps.store.revokeAllForUser(outcome.userId, deps.clock.now());
        return fail(NON_FIELD_ERRORS, 'invalid_token');
      }
      if (outcome.retried) deps.logger.info({ userId: user.id }, 'refresh retried inside grace window');
      return { success: true, ...(await completePair(user, outcome, meta)) };
    },

    async revoke(raw: string | null, meta: ClientMeta): Promise<RevokeResult> {
      if (!raw) return fail('refreshToken', 'required');
      const revoked = await deps.refreshTokens.revoke(raw);
      if (!revoked) return fail(NON_FIELD_ERRORS, 'invalid_token');
      meta.tokenCookies?.clearRefresh();
      return { success: true, revoked: unixSeconds(revoked.revokedAt) };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger.js';
import type { AccessTokens } from '../auth/access-tokens.js';
import type { TokenPair } from '../auth/token-pair.js';
import type { ClientMeta } from '../base/client-meta.js';
import type { Clock } from '../base/clock.js';
import { NON_FIELD_ERRORS } from '../base/errors/expected-errors.js';
import { type Failure, failure } from '../base/errors/results.js';
import { createUserRepository } from '../users/user.repository.js';
import type { RefreshTokens } from './refresh-tokens.js';
import { completeTokenPair } from './token-pairs.js';
import type { TokenStore } from './token-store.js';

export type RefreshResult = Failure | ({ success: true } & TokenPair);
export type RevokeResult = Failure | { success: true; revoked: number };

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export interface TokenServiceDeps {
  refreshTokens: RefreshTokens;
  accessTokens: AccessTokens;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
}

/** refreshToken and revokeToken: the raw token in, a payload out (cookies are the resolvers' part). */
export function createTokenService(deps: TokenServiceDeps) {
  return {
    async refresh(em: EntityManager, raw: string | null, meta: ClientMeta): Promise<RefreshResult> {
      if (!raw) return failure('refreshToken', 'required');
      const outcome = await deps.refreshTokens.rotate(raw, meta);
      if (outcome.status === 'expired') return failure(NON_FIELD_ERRORS, 'expired_token');
      if (outcome.status === 'invalid') return failure(NON_FIELD_ERRORS, 'invalid_token');
      const user = await createUserRepository(em).findActiveViewer(outcome.userId);
      // A session older than the last password change ended with it, even if revoking it in the
      // token store failed at the time (an outage): the database has the last word.
      const predatesPassword =
        user?.passwordChangedAt != null &&
        outcome.familyCreatedAt.getTime() < user.passwordChangedAt.getTime();
      if (!user || user.archived || predatesPassword) {
        // The account went away (deleted, deactivated, archived): so does every session of it.
        await deps.store.revokeAllForUser(outcome.userId, deps.clock.now());
        return failure(NON_FIELD_ERRORS, 'invalid_token');
      }
      if (outcome.retried) {
        deps.logger.info(
          { userId: user.id },
          'refresh answered again with the same successor (lost answer or parallel caller)',
        );
      }
      return { success: true, ...(await completeTokenPair(deps.accessTokens, user, outcome)) };
    },

    async revoke(raw: string | null): Promise<RevokeResult> {
      if (!raw) return failure('refreshToken', 'required');
      const revoked = await deps.refreshTokens.revoke(raw);
      if (!revoked) return failure(NON_FIELD_ERRORS, 'invalid_token');
      return { success: true, revoked: unixSeconds(revoked.revokedAt) };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

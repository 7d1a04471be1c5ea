import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { digestToken, type TokenStore } from './token-store.js';

/** Prefix that makes leaked refresh tokens recognisable to secret scanners and humans. */
export const REFRESH_TOKEN_PREFIX = 'rt_';

export interface ClientMeta {
  userAgent: string | null;
  ip: string | null;
}

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  familyId: string;
}

export interface RefreshTokens {
  /** Issues a new refresh token; a new family unless `familyId` continues an existing one. */
  issue(userId: number, meta: ClientMeta, familyId?: string): Promise<IssuedRefreshToken>;
}

/**
 * Opaque refresh tokens: 32 random bytes, base64url, prefixed. Only the SHA-256 digest reaches the
 * store, so a database or Redis dump holds nothing a client could present.
 */
export function createRefreshTokens(deps: {
  store: TokenStore;
  clock: Clock;
  ttlSeconds: number;
}): RefreshTokens {
  return {
    async issue(userId, meta, familyId) {
      const token = `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const createdAt = deps.clock.now();
      const expiresAt = new Date(createdAt.getTime() + deps.ttlSeconds * 1000);
      const family = familyId ?? randomUUID();
      await deps.store.save({
        digest: digestToken(token),
        userId,
        familyId: family,
        createdAt,
        expiresAt,
        userAgent: meta.userAgent,
        ip: meta.ip,
      });
      return { token, expiresAt, familyId: family };
    },
  };
}

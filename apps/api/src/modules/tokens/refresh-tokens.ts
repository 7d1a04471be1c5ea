import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ClientMeta } from '../base/client-meta.js';
import type { Clock } from '../base/clock.js';
import type { AppEventBus } from '../events/app-events.js';
import { digestToken, type RefreshTokenRecord, type TokenStore } from './token-store.js';

/** Prefix that makes leaked refresh tokens recognisable to secret scanners and humans. */
export const REFRESH_TOKEN_PREFIX = 'rt_';
const REFRESH_TOKEN_PATTERN = /^rt_[A-Za-z0-9_-]{43}$/;

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  familyId: string;
  /** When the session began (the sign-in); `origIat` of access tokens. */
  familyCreatedAt: Date;
}

export type RotateOutcome =
  /**
   * A live successor: fresh from this call (`retried: false`), or the same one again (`retried:
   * true`) because its answer was lost (the successor is unused) or a parallel caller raced us.
   */
  | ({ status: 'rotated'; userId: number; retried: boolean } & IssuedRefreshToken)
  | { status: 'expired' }
  /** Unknown, malformed, revoked, or replayed after its successor was used (the family is now revoked). */
  | { status: 'invalid' };

export interface RefreshTokens {
  /** Issues a new refresh token; a new family unless `familyId` continues an existing one. */
  issue(userId: number, meta: ClientMeta, familyId?: string): Promise<IssuedRefreshToken>;
  /** Trades a raw refresh token for its successor (see `createRefreshTokens`). */
  rotate(raw: string, meta: ClientMeta): Promise<RotateOutcome>;
  /** Revokes one token; null when it is malformed or unknown. */
  revoke(raw: string): Promise<{ revokedAt: Date; userId: number; familyId: string } | null>;
  /** The record behind a raw token (any state), or null. */
  lookup(raw: string): ReturnType<TokenStore['find']>;
}

export interface RefreshTokenDeps {
  store: TokenStore;
  clock: Clock;
  ttlSeconds: number;
  /** Parallel callers: inside it a rotated token answers its successor even when that was used. */
  graceSeconds: number;
  /**
   * Lost answers: for this long after the rotation a rotated token answers its successor again as
   * long as the successor is unused (never rotated). Defaults to `ttlSeconds`: any time before the
   * successor expires. Shorter values trade lost-answer tolerance for earlier reuse detection.
   */
  replayWindowSeconds?: number;
  /** Server-side secret that derives successors; never leaves the process. */
  successorKey: Uint8Array;
  /** Where `refreshTokenReused` goes (the application's typed event bus). */
  events: Pick<AppEventBus, 'emit'>;
}

/**
 * Opaque refresh tokens: 32 random bytes, base64url, prefixed. Only the SHA-256 digest reaches the
 * store, so a database or Redis dump holds nothing a client could present.
 *
 * Rotation: the successor of a token is derived, not random: `rt_` + HMAC-SHA256(successorKey,
 * presented token). Whoever wins the store's atomic `rotate` saves it; a caller that presents the
 * same token again recomputes the very same successor (its digest matches the record's
 * `successorDigest`) without the raw successor ever being stored. It gets it again when
 *  - the successor is unused (never rotated itself) and the rotation is younger than the replay
 *    window (default: the whole lifetime): the first answer was lost somewhere, so handing the same
 *    token out again gives nobody anything new; or
 *  - the rotation is inside the short grace window (parallel tabs racing on one token).
 * Otherwise somebody holds a copy of a token the session has moved past: the whole family is
 * revoked and `refreshTokenReused` is emitted. "Used" means rotated itself, or an access token
 * issued with it (its `rid` claim) authenticated a request: then the client demonstrably received
 * it, and anyone still presenting its predecessor holds a copy. (The mark is written once, in the
 * session check every authenticated request already makes; with ACCESS_TOKEN_SESSION_CHECK=false
 * only rotation counts.) Without the second half, a thief holding the current token could rotate
 * it and both sides would keep getting each other's unused successors forever.
 */
export function createRefreshTokens(deps: RefreshTokenDeps): RefreshTokens {
  const successorOf = (raw: string) =>
    `${REFRESH_TOKEN_PREFIX}${createHmac('sha256', deps.successorKey).update(raw).digest('base64url')}`;
  const wellFormed = (raw: string) => REFRESH_TOKEN_PATTERN.test(raw);
  const replayWindowMs = (deps.replayWindowSeconds ?? deps.ttlSeconds) * 1000;

  /** A token presented again after its rotation: the same successor, or reuse (see above). */
  async function answerRotatedAgain(
    record: RefreshTokenRecord,
    next: RefreshTokenRecord | null,
    successorDigest: string,
    successor: string,
    now: Date,
    meta: ClientMeta,
  ): Promise<RotateOutcome> {
    const sinceRotation = now.getTime() - (record.rotatedAt?.getTime() ?? 0);
    const ours = record.successorDigest === successorDigest;
    const alive = next !== null && !next.revokedAt && next.expiresAt.getTime() > now.getTime();
    if (ours && alive && next) {
      // Used: rotated itself, or an access token issued with it authenticated a request.
      const unused = next.rotatedAt === null && next.lastUsedAt === null;
      if ((unused && sinceRotation <= replayWindowMs) || sinceRotation <= deps.graceSeconds * 1000) {
        return {
          status: 'rotated',
          retried: true,
          token: successor,
          expiresAt: next.expiresAt,
          userId: record.userId,
          familyId: record.familyId,
          familyCreatedAt: record.familyCreatedAt,
        };
      }
    }
    // Inside the grace window a dead successor (logout) or one derived by another key is no theft sign.
    if (sinceRotation <= deps.graceSeconds * 1000) return { status: 'invalid' };
    const revoked = await deps.store.revokeFamily(record.familyId, now);
    await deps.events.emit('refreshTokenReused', {
      userId: record.userId,
      familyId: record.familyId,
      revoked,
      at: now,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return { status: 'invalid' };
  }

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
      return { token, expiresAt, familyId: family, familyCreatedAt: createdAt };
    },

    async rotate(raw, meta) {
      if (!wellFormed(raw)) return { status: 'invalid' };
      const now = deps.clock.now();
      const successor = successorOf(raw);
      const successorDigest = digestToken(successor);
      const expiresAt = new Date(now.getTime() + deps.ttlSeconds * 1000);
      const result = await deps.store.rotate(digestToken(raw), successorDigest, now, {
        expiresAt,
        userAgent: meta.userAgent,
        ip: meta.ip,
      });
      switch (result.status) {
        case 'not_found':
        case 'revoked':
          return { status: 'invalid' };
        case 'expired':
          return { status: 'expired' };
        case 'rotated': {
          const { userId, familyId, familyCreatedAt } = result.record;
          return {
            status: 'rotated',
            retried: false,
            token: successor,
            expiresAt,
            userId,
            familyId,
            familyCreatedAt,
          };
        }
        case 'already_rotated':
          return answerRotatedAgain(result.record, result.successor, successorDigest, successor, now, meta);
      }
    },

    async revoke(raw) {
      if (!wellFormed(raw)) return null;
      const record = await deps.store.revoke(digestToken(raw), deps.clock.now());
      if (!record?.revokedAt) return null;
      return { revokedAt: record.revokedAt, userId: record.userId, familyId: record.familyId };
    },

    async lookup(raw) {
      return wellFormed(raw) ? deps.store.find(digestToken(raw)) : null;
    },
  };
}

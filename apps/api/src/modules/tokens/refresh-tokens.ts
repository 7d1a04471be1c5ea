import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ClientMeta } from '../base/client-meta.js';
import type { Clock } from '../base/clock.js';
import type { AppEventBus } from '../events/app-events.js';
import { digestToken, type RefreshTokenRecord, type TokenStore } from './token-store.js';

/** Prefix that makes leaked refresh tokens recognisable to secret scanners and humans. */
export const REFRESH_TOKEN_PREFIX = 'rt_';
const REFRESH_TOKEN_PATTERN = /^rt_[A-Za-z0-9_-]{43}$/;
/** A token's 32 bytes: the family it belongs to (a UUID's 16 bytes), then 16 bytes of secret. */
const FAMILY_BYTES = 16;
const SECRET_BYTES = 16;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The 16 bytes of a UUID family id; null for any other id (such a family is never named). */
function familyBytes(familyId: string): Buffer | null {
  return UUID_PATTERN.test(familyId) ? Buffer.from(familyId.replaceAll('-', ''), 'hex') : null;
}

/**
 * The family a well-formed token names. Tokens from before families were named (32 random bytes)
 * name a random UUID that no family has, which the store answers as "other family" or not found.
 */
function familyOfToken(raw: string): string {
  const hex = Buffer.from(raw.slice(REFRESH_TOKEN_PREFIX.length), 'base64url')
    .subarray(0, FAMILY_BYTES)
    .toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

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
 * Opaque refresh tokens: 32 bytes, base64url, prefixed: the family (session) id's 16 bytes, then
 * 16 secret bytes. Only the SHA-256 digest reaches the store, so a database or Redis dump holds
 * nothing a client could present.
 *
 * Rotation: the successor of a token is derived, not random: `rt_` + family + the first 16 bytes
 * of HMAC-SHA256(successorKey, presented token). Whoever wins the store's atomic `rotate` saves it; a caller that presents the
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
 *
 * Bounded memory: a family keeps its current token, the one rotated into it (a lost answer's
 * retry needs it) and those rotated inside the grace window; each winning rotation prunes the
 * older ones. A pruned token answers not_found, and since it names its family, an unknown token
 * naming a live family is reuse like any other. (The family id is no secret, it is the access
 * tokens' `sid`: forging a token from it only ends that session, which its holder can anyway.)
 * Tokens from before families were named (32 random bytes, or derived as the whole HMAC) keep
 * working: the first rotation moves the session onto named tokens (one extra round trip, once);
 * their own records are not pruned and expire as before, so a copy of one is still reuse.
 */
export function createRefreshTokens(deps: RefreshTokenDeps): RefreshTokens {
  const mac = (raw: string) => createHmac('sha256', deps.successorKey).update(raw).digest();
  /** The successor naming `family` (16 bytes), or without a family: the whole HMAC, as before. */
  const successorOf = (raw: string, family: Buffer | null) =>
    `${REFRESH_TOKEN_PREFIX}${(family ? Buffer.concat([family, mac(raw).subarray(0, SECRET_BYTES)]) : mac(raw)).toString('base64url')}`;
  const legacySuccessorOf = (raw: string) => successorOf(raw, null);
  const wellFormed = (raw: string) => REFRESH_TOKEN_PATTERN.test(raw);
  const replayWindowMs = (deps.replayWindowSeconds ?? deps.ttlSeconds) * 1000;
  const graceMs = deps.graceSeconds * 1000;

  /** Revokes the family a copied token belongs to and says so (`refreshTokenReused`). */
  async function reuse(
    userId: number,
    familyId: string,
    now: Date,
    meta: ClientMeta,
  ): Promise<RotateOutcome> {
    const revoked = await deps.store.revokeFamily(familyId, now);
    await deps.events.emit('refreshTokenReused', {
      userId,
      familyId,
      revoked,
      at: now,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return { status: 'invalid' };
  }

  /** A token presented again after its rotation: the same successor, or reuse (see above). */
  async function answerRotatedAgain(
    record: RefreshTokenRecord,
    next: RefreshTokenRecord | null,
    raw: string,
    derived: string,
    now: Date,
    meta: ClientMeta,
  ): Promise<RotateOutcome> {
    const sinceRotation = now.getTime() - (record.rotatedAt?.getTime() ?? 0);
    // Rotated before successors named their family: the successor is the whole HMAC.
    let successor = derived;
    if (record.successorDigest !== digestToken(successor)) successor = legacySuccessorOf(raw);
    const ours = record.successorDigest === digestToken(successor);
    const alive = next !== null && !next.revokedAt && next.expiresAt.getTime() > now.getTime();
    if (ours && alive && next) {
      // Used: rotated itself, or an access token issued with it authenticated a request.
      const unused = next.rotatedAt === null && next.lastUsedAt === null;
      if ((unused && sinceRotation <= replayWindowMs) || sinceRotation <= graceMs) {
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
    if (sinceRotation <= graceMs) return { status: 'invalid' };
    return reuse(record.userId, record.familyId, now, meta);
  }

  /**
   * An unknown token that names a live family: a predecessor the store pruned (rotated and used
   * on), so a copy of a token the session has moved past. Anything else unknown is just invalid.
   */
  async function answerUnknown(raw: string, now: Date, meta: ClientMeta): Promise<RotateOutcome> {
    const familyId = familyOfToken(raw);
    const owner = await deps.store.familyOwner(familyId, now);
    if (owner === null) return { status: 'invalid' };
    return reuse(owner, familyId, now, meta);
  }

  return {
    async issue(userId, meta, familyId) {
      const family = familyId ?? randomUUID();
      const named = familyBytes(family);
      const token = `${REFRESH_TOKEN_PREFIX}${Buffer.concat([
        named ?? randomBytes(FAMILY_BYTES),
        randomBytes(SECRET_BYTES),
      ]).toString('base64url')}`;
      const createdAt = deps.clock.now();
      const expiresAt = new Date(createdAt.getTime() + deps.ttlSeconds * 1000);
      await deps.store.save({
        namesFamily: named !== null,
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
      const digest = digestToken(raw);
      const expiresAt = new Date(now.getTime() + deps.ttlSeconds * 1000);
      const attempt = (familyId: string) => {
        const named = familyBytes(familyId);
        const successor = successorOf(raw, named);
        const result = deps.store.rotate(digest, digestToken(successor), now, {
          expiresAt,
          userAgent: meta.userAgent,
          ip: meta.ip,
          ...(named ? { familyId } : {}),
          pruneRotatedBefore: new Date(now.getTime() - graceMs),
        });
        return result.then((r) => ({ result: r, successor }));
      };
      // A token names its family: one round trip. A token from before that learns its family from
      // the store's answer and tries once more with it (its successor then names it). A family id
      // that is no UUID cannot be named: its successors are derived as before and never pruned.
      let { result, successor } = await attempt(familyOfToken(raw));
      if (result.status === 'other_family') {
        ({ result, successor } = await attempt(result.familyId));
        if (result.status === 'other_family') throw new Error('refresh token family changed under rotation');
      }
      switch (result.status) {
        case 'not_found':
          return answerUnknown(raw, now, meta);
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
          return answerRotatedAgain(result.record, result.successor, raw, successor, now, meta);
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

import { createHash } from 'node:crypto';

/**
 * Storage port for refresh tokens. Implementations: Redis (production) and SQL (embedded default);
 * both are held to the same behaviour by `token-store.contract.ts`.
 *
 * Tokens are keyed by their SHA-256 digest (see `digestToken`): the raw token never reaches a store.
 * Every time-dependent method takes an explicit `now` so that callers (and tests) own the clock.
 * A token is expired when `expiresAt <= now`.
 */
export interface RefreshTokenRecord {
  digest: string;
  userId: number;
  /** All tokens descending from one login share a family; reuse of a rotated token revokes it. */
  familyId: string;
  /** When the family (the session) began: the sign-in, inherited by every successor. */
  familyCreatedAt: Date;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  revokedAt: Date | null;
  rotatedAt: Date | null;
  successorDigest: string | null;
  userAgent: string | null;
  ip: string | null;
}

export type NewRefreshToken = Omit<
  RefreshTokenRecord,
  'lastUsedAt' | 'revokedAt' | 'rotatedAt' | 'successorDigest' | 'familyCreatedAt'
> & {
  /** Defaults to `createdAt` (a new family). */
  familyCreatedAt?: Date;
  /**
   * The raw token names its family (see refresh-tokens.ts), so the store may forget it once it is
   * rotated and used on: a copy presented later is still traced to its family. Default false.
   */
  namesFamily?: boolean;
};

/**
 * The token that replaces a rotated one. It inherits user, family and family start from its
 * predecessor and is created at the rotation's `now`, so only what differs is given.
 */
export interface SuccessorToken {
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
  /**
   * The family the presented token names. When given and the record is of another family, nothing
   * changes and `other_family` answers the record's. When it matches, the successor is saved as
   * naming its family (`namesFamily`).
   */
  familyId?: string;
  /**
   * Bounds what a family keeps: the winner also deletes the family's records that name their
   * family, were rotated at or before this time and are not the rotated token itself (its
   * successor may still be unused: a lost answer). Pruned tokens answer `not_found`; callers
   * trace them through the family their raw token names.
   */
  pruneRotatedBefore?: Date;
}

/**
 * Outcome of `rotate`. When several conditions hold, the first in this order wins:
 * revoked, expired, other_family, already_rotated. (An expired token never hands out its successor
 * again.)
 */
export type RotateResult =
  /** This call won: `record.rotatedAt` is `now` and `record.successorDigest` is the given successor. */
  | { status: 'rotated'; record: RefreshTokenRecord }
  /**
   * Rotated earlier; `record.rotatedAt`/`record.successorDigest` say when and into what, and
   * `successor` is the successor's record as it is now (null when it was never saved or is gone),
   * read in the same atomic step so that callers can tell a lost answer from a replay.
   */
  | { status: 'already_rotated'; record: RefreshTokenRecord; successor: RefreshTokenRecord | null }
  | { status: 'revoked'; record: RefreshTokenRecord }
  | { status: 'expired'; record: RefreshTokenRecord }
  /** `successor.familyId` named another family than the record's (`familyId`); nothing changed. */
  | { status: 'other_family'; familyId: string }
  | { status: 'not_found' };

export interface DeleteExpiredOptions {
  /** Also delete revoked tokens that have not expired yet (this forgets reuse evidence). */
  includeRevoked?: boolean;
}

export interface TokenStore {
  /** Stores a new token. Digests are unique; saving the same digest twice is a caller bug. */
  save(token: NewRefreshToken): Promise<void>;
  /** Returns the record whatever its state (expired, revoked, rotated); null when unknown. */
  find(digest: string): Promise<RefreshTokenRecord | null>;
  /**
   * Atomic compare-and-set: of any number of concurrent callers exactly one gets 'rotated'. The
   * winner also marks the token used at `now` and, when `successor` is given, saves the successor
   * record in the same atomic step, so nobody can be handed a successor that is not stored yet.
   */
  rotate(
    digest: string,
    successorDigest: string,
    now: Date,
    successor?: SuccessorToken,
  ): Promise<RotateResult>;
  /** Sets `lastUsedAt`; does nothing for an unknown digest. */
  touch(digest: string, now: Date): Promise<void>;
  /** Idempotent: the first revocation's `revokedAt` is kept. Null when unknown. */
  revoke(digest: string, now: Date): Promise<RefreshTokenRecord | null>;
  /** Revokes every not-yet-revoked token of the family (rotated ones included); returns how many. */
  revokeFamily(familyId: string, now: Date): Promise<number>;
  /** Revokes every not-yet-revoked token of the user; returns how many. */
  revokeAllForUser(userId: number, now: Date): Promise<number>;
  /** Revokes the given tokens that exist and are not yet revoked; returns how many. */
  revokeMany(digests: readonly string[], now: Date): Promise<number>;
  /** Tokens of the user not expired at `now` (revoked and rotated included), newest first. */
  listForUser(userId: number, now: Date): Promise<RefreshTokenRecord[]>;
  /**
   * Whether the session is still on: the family has a token that is neither revoked, rotated nor
   * expired at `now` (its current refresh token). Access tokens carry the family as `sid`.
   * `usedWith` is the `refreshTokenId` an access token was issued with: when it names the current
   * token and that has no `lastUsedAt` yet, it is set to `now` in the same step (the client has
   * received that token, so its predecessor's lost-answer retries are over).
   */
  isFamilyLive(familyId: string, now: Date, usedWith?: string): Promise<boolean>;
  /**
   * The user of the family's current token (neither revoked, rotated nor expired at `now`); null
   * when the session is over or unknown. Read only (no use mark).
   */
  familyOwner(familyId: string, now: Date): Promise<number | null>;
  /** Housekeeping: deletes tokens expired at `now` (and revoked ones when asked); returns how many. */
  deleteExpired(now: Date, opts?: DeleteExpiredOptions): Promise<number>;
  /** Throws when the backing service is unreachable (health checks). */
  ping(): Promise<void>;
}

/** SHA-256 hex of the raw token: what stores keep instead of the secret itself. */
export function digestToken(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex');
}

/** Short public id of a refresh token (digest prefix): the `rid` claim of its access tokens. */
export function refreshTokenId(raw: string): string {
  return digestToken(raw).slice(0, REFRESH_TOKEN_ID_LENGTH);
}
export const REFRESH_TOKEN_ID_LENGTH = 16;

/** Newest first; digest breaks ties so both stores order identically. */
export function compareNewestFirst(a: RefreshTokenRecord, b: RefreshTokenRecord): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0;
}

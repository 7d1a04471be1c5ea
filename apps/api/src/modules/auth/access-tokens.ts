import type { Clock } from '../base/clock.js';
import { decodeCompact, signCompact, verifyCompact } from './compact-jws.js';
import type { SigningKeys } from './signing-keys.js';

/** Claims of an access token, as returned in `payload`. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  iat: number;
  exp: number;
  /** When the chain of refreshes started (django-graphql-jwt's `origIat`). */
  origIat: number;
  /** The session (refresh-token family) the token belongs to: how `sessions` knows `current`. */
  sid?: string;
  /**
   * Which refresh token of the session the token was issued with (the first 16 hex digits of its
   * digest): its first use marks that refresh token used, which ends lost-answer retries of its
   * predecessor (see modules/tokens/refresh-tokens.ts).
   */
  rid?: string;
  iss?: string;
  aud?: string | string[];
}

export type VerifyAccessTokenResult =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'expired' | 'invalid' };

export interface SignOptions {
  /** Keeps the sign-in time across refreshes; defaults to now. */
  origIat?: number;
  /** Session id (refresh-token family). */
  sid?: string;
  /** The refresh token issued beside it (`rid` claim). */
  rid?: string;
}

export interface AccessTokens {
  sign(
    user: { id: number; username: string },
    options?: SignOptions,
  ): Promise<{ token: string; claims: AccessTokenClaims }>;
  verify(token: string): Promise<VerifyAccessTokenResult>;
}

export interface AccessTokenSettings {
  keys: SigningKeys;
  ttlSeconds: number;
  leewaySeconds: number;
  issuer: string | undefined;
  audience: string | undefined;
}

const INVALID: VerifyAccessTokenResult = { ok: false, reason: 'invalid' };
const EXPIRED: VerifyAccessTokenResult = { ok: false, reason: 'expired' };

/**
 * The registered-claim checks jose's `jwtVerify` makes (RFC 7519 §4.1), on a payload whose
 * signature already verified: required `sub`/`exp`/`iat`, numeric dates, `nbf` and `exp` against
 * now with leeway, `iss`/`aud` when configured.
 */
function checkClaims(
  payload: Record<string, unknown>,
  nowSeconds: number,
  settings: AccessTokenSettings,
): VerifyAccessTokenResult {
  const { exp, iat, nbf, sub, username, sid, rid } = payload;
  if (typeof exp !== 'number' || typeof iat !== 'number' || !Number.isFinite(exp)) return INVALID;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds + settings.leewaySeconds))
    return INVALID;
  if (settings.issuer !== undefined && payload.iss !== settings.issuer) return INVALID;
  if (settings.audience !== undefined) {
    const aud = payload.aud;
    const matches =
      typeof aud === 'string'
        ? aud === settings.audience
        : Array.isArray(aud) && aud.includes(settings.audience);
    if (!matches) return INVALID;
  }
  if (
    typeof sub !== 'string' ||
    !/^\d+$/.test(sub) ||
    typeof username !== 'string' ||
    (sid !== undefined && typeof sid !== 'string') ||
    (rid !== undefined && typeof rid !== 'string')
  ) {
    return INVALID;
  }
  // Last, as in jose: only a genuine token that passes every other check can be "expired".
  if (exp <= nowSeconds - settings.leewaySeconds) return EXPIRED;
  return { ok: true, claims: payload as unknown as AccessTokenClaims };
}

/**
 * Access JWTs signed with the current key of the ring, `kid` in the header. Verification looks the
 * key up by `kid` and pins that key's algorithm, so `alg: none`, HS256-with-the-public-key and
 * unknown keys all fail; `exp` is checked against the injected clock (with leeway), `iss`/`aud`
 * when configured. Signing and checking are synchronous `node:crypto` (see compact-jws.ts): they
 * never queue behind password hashes on the libuv pool.
 */
export function createAccessTokens(settings: AccessTokenSettings, clock: Clock): AccessTokens {
  return {
    async sign(user, options = {}) {
      const key = settings.keys.current;
      const iat = Math.floor(clock.now().getTime() / 1000);
      const claims: AccessTokenClaims = {
        sub: String(user.id),
        username: user.username,
        iat,
        exp: iat + settings.ttlSeconds,
        origIat: options.origIat ?? iat,
        ...(options.sid ? { sid: options.sid } : {}),
        ...(options.rid ? { rid: options.rid } : {}),
        ...(settings.issuer ? { iss: settings.issuer } : {}),
        ...(settings.audience ? { aud: settings.audience } : {}),
      };
      const token = signCompact({ alg: key.alg, typ: 'JWT', kid: key.kid }, claims, {
        alg: key.alg,
        key: key.signKey,
      });
      return { token, claims };
    },

    async verify(token) {
      const decoded = decodeCompact(token);
      if (!decoded) return INVALID;
      const { kid, alg } = decoded.header;
      const key = typeof kid === 'string' ? settings.keys.byKid(kid) : undefined;
      if (!key || alg !== key.alg) return INVALID;
      const payload = verifyCompact(decoded, { alg: key.alg, key: key.verifyKey });
      if (!payload) return INVALID;
      return checkClaims(payload, Math.floor(clock.now().getTime() / 1000), settings);
    },
  };
}

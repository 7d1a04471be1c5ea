import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../base/clock.js';
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

/**
 * Access JWTs signed with the current key of the ring, `kid` in the header. Verification looks the
 * key up by `kid` and pins that key's algorithm, so `alg: none`, HS256-with-the-public-key and
 * unknown keys all fail; `exp` is checked against the injected clock (with leeway), `iss`/`aud`
 * when configured.
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
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
        .sign(key.signKey);
      return { token, claims };
    },

    async verify(token) {
      try {
        const header = decodeProtectedHeader(token);
        const key = typeof header.kid === 'string' ? settings.keys.byKid(header.kid) : undefined;
        if (!key || header.alg !== key.alg) return { ok: false, reason: 'invalid' };
        const { payload } = await jwtVerify(token, key.verifyKey, {
          algorithms: [key.alg],
          currentDate: clock.now(),
          clockTolerance: settings.leewaySeconds,
          ...(settings.issuer ? { issuer: settings.issuer } : {}),
          ...(settings.audience ? { audience: settings.audience } : {}),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        if (
          typeof payload.sub !== 'string' ||
          !/^\d+$/.test(payload.sub) ||
          typeof payload.username !== 'string' ||
          (payload.sid !== undefined && typeof payload.sid !== 'string') ||
          (payload.rid !== undefined && typeof payload.rid !== 'string')
        ) {
          return { ok: false, reason: 'invalid' };
        }
        return { ok: true, claims: payload as unknown as AccessTokenClaims };
      } catch (error) {
        // Only a genuine, correctly signed token can be "expired": jose checks the signature first.
        if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'invalid' };
      }
    },
  };
}

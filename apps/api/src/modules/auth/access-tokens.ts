import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../clock.js';

/** Claims of an access token, as returned in `payload`. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  iat: number;
  exp: number;
  /** When the chain of refreshes started (django-graphql-jwt's `origIat`). */
  origIat: number;
  iss?: string;
  aud?: string | string[];
}

export type VerifyAccessTokenResult =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'expired' | 'invalid' };

export interface AccessTokens {
  sign(
    user: { id: number; username: string },
    origIat?: number,
  ): Promise<{ token: string; claims: AccessTokenClaims }>;
  verify(token: string): Promise<VerifyAccessTokenResult>;
}

export interface AccessTokenSettings {
  secret: string;
  ttlSeconds: number;
  leewaySeconds: number;
  issuer: string | undefined;
  audience: string | undefined;
}

const ALGORITHM = 'HS256';

/**
 * HS256 access tokens signed with jose. Verification pins the algorithm (so `alg: none` and
 * key-confusion tokens fail), checks `exp` against the injected clock, and `iss`/`aud` when set.
 */
export function createAccessTokens(settings: AccessTokenSettings, clock: Clock): AccessTokens {
  const key = new TextEncoder().encode(settings.secret);
  // A key id that names the secret without revealing it, so rotation can tell keys apart.
  const kid = `hs-${createHash('sha256').update(settings.secret).digest('hex').slice(0, 12)}`;

  return {
    async sign(user, origIat) {
      const iat = Math.floor(clock.now().getTime() / 1000);
      const claims: AccessTokenClaims = {
        sub: String(user.id),
        username: user.username,
        iat,
        exp: iat + settings.ttlSeconds,
        origIat: origIat ?? iat,
        ...(settings.issuer ? { iss: settings.issuer } : {}),
        ...(settings.audience ? { aud: settings.audience } : {}),
      };
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid })
        .sign(key);
      return { token, claims };
    },

    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          currentDate: clock.now(),
          clockTolerance: settings.leewaySeconds,
          ...(settings.issuer ? { issuer: settings.issuer } : {}),
          ...(settings.audience ? { audience: settings.audience } : {}),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        if (
          typeof payload.sub !== 'string' ||
          !/^\d+$/.test(payload.sub) ||
          typeof payload.username !== 'string'
        ) {
          return { ok: false, reason: 'invalid' };
        }
        return { ok: true, claims: payload as unknown as AccessTokenClaims };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
        return { ok: false, reason: 'invalid' };
      }
    },
  };
}
